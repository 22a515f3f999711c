import type { OpenApiMeta } from "trpc-to-openapi";
import { initTRPC, TRPCError } from "@trpc/server";

import type { ErrorCode, Role } from "@runway/contracts";
import { AppError, authenticate, BusyError, hasRole } from "@runway/core";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "@runway/db";

import type { Context } from "./context";
import type { Deprecation } from "./deprecation";
import type { LimitName } from "./rate-limits";
import { deprecationDocsPath, deprecationHeaders } from "./deprecation";
import { publicError, toTRPCError } from "./errors";
import { RateLimitedError } from "./rate-limits";

export interface Meta extends OpenApiMeta {
  /** REST success status; tRPC always answers 200. */
  successStatus?: 200 | 201 | 202 | 204;
  /** Error codes this operation can answer with, for the OpenAPI document. */
  errors?: ErrorCode[];
  /** Marks the operation deprecated: document, response headers, metric, Kotlin `@Deprecated`. */
  deprecation?: Deprecation;
  /** Set by `requireRole`, so the document lists 403 FORBIDDEN wherever a role is checked. */
  role?: Role;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error, ctx }) {
      const details = publicError(error);
      return {
        message: details.message,
        code: shape.code,
        data: {
          code: details.code,
          httpStatus: shape.data.httpStatus,
          requestId: ctx?.requestId ?? null,
          ...(details.issues ? { issues: details.issues } : {}),
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every call of a deprecated operation, on /v1 and /trpc alike, carries the Deprecation, Sunset
 * and Link headers (errors included) and is counted by operation.
 */
function announceDeprecation(ctx: Context, deprecation: Deprecation, meta: Meta, path: string) {
  const operationId = meta.openapi?.operationId ?? path;
  const docs = deprecationDocsPath(meta.openapi?.tags?.[0] ?? "default", operationId);
  for (const [name, value] of deprecationHeaders(deprecation, docs)) ctx.setHeader(name, value);
  ctx.deprecatedCall(operationId);
}

/**
 * Announces deprecations, then turns domain errors into tRPC errors with the right status, and
 * a database that is away (restarting, unreachable) into 503 SERVICE_UNAVAILABLE with
 * Retry-After: the client retries instead of seeing a 500. Everything else passes. One
 * middleware, not two: every tRPC middleware level copies the call's options and context.
 */
const base = t.middleware(async ({ ctx, meta, path, next }) => {
  if (meta?.deprecation) announceDeprecation(ctx, meta.deprecation, meta, path);
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof AppError) {
    // A sign-in refused by the password-hashing gate says when to come back.
    if (cause instanceof BusyError) ctx.setHeader("Retry-After", String(cause.retryAfterSeconds));
    throw toTRPCError(cause);
  }
  if (isDatabaseUnavailable(cause)) {
    ctx.setHeader("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
    throw toTRPCError(
      new AppError("SERVICE_UNAVAILABLE", "The database is unavailable; retry after Retry-After"),
    );
  }
  return result;
});

export const publicProcedure = t.procedure.use(base);

/** The scheme name is case-insensitive (RFC 9110 11.1). */
const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]{1,4096}) *$/i;

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  const token = BEARER.exec(ctx.authorization ?? "")?.[1];
  if (!token) throw new AppError("UNAUTHENTICATED");
  const auth = authenticate(ctx.core, token);
  ctx.setUserId(auth.userId);
  // tRPC merges this into the context it has.
  return next({ ctx: { auth } });
});

/** Checked against the database on every call, so a role change applies to the next request. */
export function requireRole(role: Role) {
  return authedProcedure.meta({ role }).use(async ({ ctx, next }) => {
    if (!(await hasRole(ctx.core, ctx.auth.userId, role))) throw new AppError("FORBIDDEN");
    return next();
  });
}

export { TRPCError };

/** Runs a rate-limit check; a refusal gets its Retry-After and RateLimit headers on the way out. */
export async function rateLimited<T>(ctx: Context, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof RateLimitedError) {
      for (const [header, value] of Object.entries(error.headers)) ctx.setHeader(header, value);
    }
    throw error;
  }
}

/**
 * Spends rate-limit points inside a procedure, so the limit holds on /v1 and /trpc alike and
 * for every call of a batch.
 */
export function enforce(ctx: Context, name: LimitName, key: string, points = 1): Promise<void> {
  return rateLimited(ctx, () => ctx.limits.consume(name, key, points));
}

/** A procedure limited per client IP under `name`. */
export function limitedByIp(name: LimitName) {
  return publicProcedure.use(async ({ ctx, next }) => {
    await enforce(ctx, name, ctx.clientIp);
    return next();
  });
}
