import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ChangePasswordInputSchema, UserResponseSchema } from "@runway/contracts";
import { changePassword, getCurrentUser } from "@runway/core";

import { authedProcedure } from "../trpc";

const tags = ["me"];

export const meRouter = {
  get: authedProcedure
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
    .input(z.void())
    .output(UserResponseSchema)
    .query(async ({ ctx }) => ({ user: await getCurrentUser(ctx.core, ctx.auth.userId) })),

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
