import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import type { ConsoleTokens } from "@runway/core";
import { ConsoleSessionSchema, LoginInputSchema } from "@runway/contracts";
import { AppError, consoleRefresh, consoleSignIn, logout } from "@runway/core";

import type { ConsoleCookie, Context } from "../context";
import { enforce, publicProcedure } from "../trpc";
import { signInWithLimits } from "./auth";

/**
 * The admin console's sign-in, over /trpc only. The refresh token never reaches script: it
 * travels in an httpOnly, SameSite=Strict cookie scoped to /trpc. Every call here needs the
 * CSRF header and a same-site Origin, which a cross-site form or fetch cannot provide.
 */
const consoleProcedure = publicProcedure.use(({ ctx, next }) => {
  const cookie = ctx.consoleCookie;
  if (!cookie) throw new AppError("NOT_FOUND", "The console session is served over /trpc only");
  if (!cookie.csrfPassed) {
    throw new AppError(
      "CSRF_REJECTED",
      "Console calls need the X-Runway-CSRF header from the console's own origin",
    );
  }
  return next({ ctx: { ...ctx, cookie } });
});

function issue(cookie: ConsoleCookie, tokens: ConsoleTokens) {
  cookie.set(tokens.refreshToken, tokens.refreshExpiresIn);
  return { user: tokens.user, accessToken: tokens.accessToken, expiresIn: tokens.expiresIn };
}

/** A refresh that fails for good (reuse, revoked, expired, demoted) also drops the cookie. */
async function refreshOrClear(ctx: Context, cookie: ConsoleCookie) {
  const token = cookie.refreshToken;
  if (!token) throw new AppError("INVALID_REFRESH_TOKEN", "Not signed in");
  try {
    return issue(cookie, await consoleRefresh(ctx.core, token, ctx));
  } catch (error) {
    if (error instanceof AppError && error.code !== "RATE_LIMITED") cookie.clear();
    throw error;
  }
}

export const consoleRouter = {
  signIn: consoleProcedure
    .input(LoginInputSchema)
    .output(ConsoleSessionSchema)
    .mutation(async ({ ctx, input }) =>
      issue(
        ctx.cookie,
        await signInWithLimits(ctx, input, () => consoleSignIn(ctx.core, input, ctx)),
      ),
    ),

  refresh: consoleProcedure
    .input(z.void())
    .output(ConsoleSessionSchema)
    .mutation(async ({ ctx }) => {
      await enforce(ctx, "refresh", ctx.clientIp);
      return refreshOrClear(ctx, ctx.cookie);
    }),

  signOut: consoleProcedure
    .input(z.void())
    .output(z.void())
    .mutation(async ({ ctx }) => {
      const token = ctx.cookie.refreshToken;
      ctx.cookie.clear();
      if (token) await logout(ctx.core, token, ctx);
    }),
} satisfies TRPCRouterRecord;
