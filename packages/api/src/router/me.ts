import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import type { Core } from "@runway/core";
import { ChangePasswordInputSchema, UserResponseSchema } from "@runway/contracts";
import { changePassword, getCurrentUser } from "@runway/core";

import { authedProcedure } from "../trpc";

const tags = ["me"];

const currentUser = authedProcedure.input(z.void()).output(UserResponseSchema);
const currentUserResolver = async ({ ctx }: { ctx: { core: Core; auth: { userId: string } } }) => ({
  user: await getCurrentUser(ctx.core, ctx.auth.userId),
});

export const meRouter = {
  get: currentUser
    .meta({
      openapi: {
        method: "GET",
        path: "/me",
        operationId: "getMe",
        tags,
        summary: "The signed-in user",
      },
      errors: ["UNAUTHENTICATED"],
    })
    .query(currentUserResolver),

  /** The old path of GET /me, kept for app versions built against it until its sunset. */
  getAccount: currentUser
    .meta({
      openapi: {
        method: "GET",
        path: "/account",
        operationId: "getAccount",
        tags,
        summary: "The signed-in user (old path of GET /me)",
      },
      errors: ["UNAUTHENTICATED"],
      deprecation: { since: "2026-12-01", sunset: "2027-06-30", replacement: "GET /me (getMe)" },
    })
    .query(currentUserResolver),

  changePassword: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/me/password",
        operationId: "changePassword",
        tags,
        summary: "Change the password",
        description:
          "Every other session of the user is ended; the calling session stays signed in.",
      },
      successStatus: 204,
      errors: [
        "VALIDATION_FAILED",
        "UNAUTHENTICATED",
        "CURRENT_PASSWORD_INCORRECT",
        "WEAK_PASSWORD",
      ],
    })
    .input(ChangePasswordInputSchema)
    .output(z.void())
    .mutation(({ ctx, input }) => changePassword(ctx.core, ctx.auth, input, ctx)),
} satisfies TRPCRouterRecord;
