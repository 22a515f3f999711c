import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import type { LoginInput } from "@runway/contracts";
import {
  AuthResponseSchema,
  LoginInputSchema,
  LogoutInputSchema,
  RefreshInputSchema,
  RegisterInputSchema,
  TokensResponseSchema,
} from "@runway/contracts";
import { AppError, login, logout, logoutAll, refreshSession, register } from "@runway/core";

import type { Context } from "../context";
import { authedProcedure, limitedByIp, publicProcedure, rateLimited } from "../trpc";

const tags = ["auth"];

/**
 * Password sign-in under the failed-login limits: a failure point is reserved before the
 * password is checked (so parallel calls and batches cannot verify more than the limits allow),
 * kept on INVALID_CREDENTIALS, and given back on any other outcome.
 */
export async function signInWithLimits<T>(
  ctx: Context,
  input: LoginInput,
  signIn: () => Promise<T>,
): Promise<T> {
  const attempt = await rateLimited(ctx, () => ctx.limits.beginLogin(input.email, ctx.clientIp));
  try {
    const result = await signIn();
    await attempt.succeeded();
    return result;
  } catch (error) {
    if (!(error instanceof AppError && error.code === "INVALID_CREDENTIALS")) {
      await attempt.abandoned();
    }
    throw error;
  }
}

export const authRouter = {
  register: limitedByIp("register")
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/register",
        operationId: "register",
        tags,
        protect: false,
        summary: "Create an account and sign in",
      },
      successStatus: 201,
      errors: ["VALIDATION_FAILED", "WEAK_PASSWORD", "EMAIL_TAKEN", "RATE_LIMITED"],
    })
    .input(RegisterInputSchema)
    .output(AuthResponseSchema)
    .mutation(({ ctx, input }) => register(ctx.core, input, ctx)),

  login: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/login",
        operationId: "login",
        tags,
        protect: false,
        summary: "Sign in with email and password",
      },
      errors: ["VALIDATION_FAILED", "INVALID_CREDENTIALS", "RATE_LIMITED"],
    })
    .input(LoginInputSchema)
    .output(AuthResponseSchema)
    .mutation(({ ctx, input }) => signInWithLimits(ctx, input, () => login(ctx.core, input, ctx))),

  refresh: limitedByIp("refresh")
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/refresh",
        operationId: "refreshTokens",
        tags,
        protect: false,
        summary: "Exchange a refresh token for a new token pair",
        description:
          "Every refresh token works once. Presenting a used token again ends the whole session (REFRESH_TOKEN_REUSED), except within a few seconds of its use, when the same new pair is returned so a lost response can be retried.",
      },
      errors: [
        "VALIDATION_FAILED",
        "INVALID_REFRESH_TOKEN",
        "REFRESH_TOKEN_REUSED",
        "SESSION_EXPIRED",
      ],
    })
    .input(RefreshInputSchema)
    .output(TokensResponseSchema)
    .mutation(async ({ ctx, input }) => ({
      tokens: await refreshSession(ctx.core, input.refreshToken, ctx),
    })),

  logout: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/logout",
        operationId: "logout",
        tags,
        protect: false,
        summary: "End the session of a refresh token",
      },
      successStatus: 204,
      errors: ["VALIDATION_FAILED"],
    })
    .input(LogoutInputSchema)
    .output(z.void())
    .mutation(({ ctx, input }) => logout(ctx.core, input.refreshToken, ctx)),

  logoutAll: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/logout-all",
        operationId: "logoutAll",
        tags,
        summary: "End every session of the current user",
      },
      successStatus: 204,
      errors: ["UNAUTHENTICATED"],
    })
    .input(z.void())
    .output(z.void())
    .mutation(({ ctx }) => logoutAll(ctx.core, ctx.auth, ctx)),
} satisfies TRPCRouterRecord;
