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

import { requireRole } from "../trpc";

const adminProcedure = requireRole("admin");
const tags = ["admin"];
const errors = ["UNAUTHENTICATED", "FORBIDDEN"] as const;

export const adminUsersRouter = {
  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/users",
        operationId: "listUsers",
        tags,
        summary: "Users, newest first",
      },
      errors: [...errors, "VALIDATION_FAILED"],
    })
    .input(ListUsersInputSchema)
    .output(UserPageSchema)
    .query(({ ctx, input }) => listUsers(ctx.core, input)),

  get: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/users/{userId}",
        operationId: "getUser",
        tags,
        summary: "A user with their roles and active sessions",
      },
      errors: [...errors, "VALIDATION_FAILED", "NOT_FOUND"],
    })
    .input(UserIdInputSchema)
    .output(AdminUserDetailSchema)
    .query(({ ctx, input }) => getUserDetail(ctx.core, input.userId)),

  setRoles: adminProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/admin/users/{userId}/roles",
        operationId: "setUserRoles",
        tags,
        summary: "Replace a user's roles",
      },
      errors: [...errors, "VALIDATION_FAILED", "NOT_FOUND", "LAST_ADMIN"],
    })
    .input(SetUserRolesInputSchema)
    .output(UserResponseSchema)
    .mutation(async ({ ctx, input }) => ({
      user: await setUserRoles(ctx.core, ctx.auth.userId, input.userId, input.roles, ctx),
    })),

  revokeSessions: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/admin/users/{userId}/sessions/revoke",
        operationId: "revokeUserSessions",
        tags,
        summary: "End every session of a user",
      },
      successStatus: 204,
      errors: [...errors, "VALIDATION_FAILED", "NOT_FOUND"],
    })
    .input(UserIdInputSchema)
    .output(z.void())
    .mutation(({ ctx, input }) =>
      adminRevokeSessions(ctx.core, ctx.auth.userId, input.userId, ctx),
    ),
} satisfies TRPCRouterRecord;
