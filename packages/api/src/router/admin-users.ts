import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import {
  AdminUserDetailSchema,
  ListUsersInputSchema,
  SetUserRolesInputSchema,
  UserIdInputSchema,
  UserPageSchema,
  UserResponseSchema,
} from "@runway/contracts";
import { adminRevokeSessions, getUserDetail, listUsers, setUserRoles } from "@runway/core";

import { adminMeta, adminProcedure } from "./admin";

export const adminUsersRouter = {
  list: adminProcedure
    .meta(adminMeta("GET", "/admin/users", "listUsers", "Users, newest first"))
    .input(ListUsersInputSchema)
    .output(UserPageSchema)
    .query(({ ctx, input }) => listUsers(ctx.core, input)),

  get: adminProcedure
    .meta(
      adminMeta(
        "GET",
        "/admin/users/{userId}",
        "getUser",
        "A user with their roles and active sessions",
        { errors: ["NOT_FOUND"] },
      ),
    )
    .input(UserIdInputSchema)
    .output(AdminUserDetailSchema)
    .query(({ ctx, input }) => getUserDetail(ctx.core, input.userId)),

  setRoles: adminProcedure
    .meta(
      adminMeta("PUT", "/admin/users/{userId}/roles", "setUserRoles", "Replace a user's roles", {
        errors: ["NOT_FOUND", "LAST_ADMIN"],
      }),
    )
    .input(SetUserRolesInputSchema)
    .output(UserResponseSchema)
    .mutation(async ({ ctx, input }) => ({
      user: await setUserRoles(ctx.core, ctx.auth.userId, input.userId, input.roles, ctx),
    })),

  revokeSessions: adminProcedure
    .meta(
      adminMeta(
        "POST",
        "/admin/users/{userId}/sessions/revoke",
        "revokeUserSessions",
        "End every session of a user",
        { successStatus: 204, errors: ["NOT_FOUND"] },
      ),
    )
    .input(UserIdInputSchema)
    .output(z.void())
    .mutation(({ ctx, input }) =>
      adminRevokeSessions(ctx.core, ctx.auth.userId, input.userId, ctx),
    ),
} satisfies TRPCRouterRecord;
