import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import type { QueueCounts } from "@runway/queue";
import {
  CleanupResultSchema,
  DatabaseReportSchema,
  DeadLetterIdInputSchema,
  DeadLetterPageSchema,
  ListDeadLettersInputSchema,
  QueueStatsSchema,
} from "@runway/contracts";
import {
  AppError,
  countDeadLetters,
  discardDeadLetter,
  listDeadLetters,
  retryDeadLetter,
  runCleanup,
} from "@runway/core";

import type { Context } from "../context";
import { requireRole } from "../trpc";

export const adminProcedure = requireRole("admin");

/** The queue's counts, or 503 while Redis is unreachable (the admin retries; nothing is lost). */
export async function queueCounts(ctx: Context): Promise<QueueCounts> {
  try {
    return await ctx.queue.counts();
  } catch {
    throw new AppError("SERVICE_UNAVAILABLE", "The queue is unreachable; try again shortly");
  }
}
const tags = ["admin"];
const errors = ["UNAUTHENTICATED", "FORBIDDEN"] as const;

export const adminQueueRouter = {
  stats: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/queue",
        operationId: "getQueueStats",
        tags,
        summary: "Jobs per state and the oldest waiting age",
      },
      errors: [...errors, "SERVICE_UNAVAILABLE"],
    })
    .input(z.void())
    .output(QueueStatsSchema)
    .query(async ({ ctx }) => {
      const counts = await queueCounts(ctx);
      return {
        backend: ctx.queue.backend,
        ...counts,
        deadLetters: await countDeadLetters(ctx.core),
      };
    }),
} satisfies TRPCRouterRecord;

export const adminDeadLettersRouter = {
  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/dead-letters",
        operationId: "listDeadLetters",
        tags,
        summary: "Imports that failed every attempt",
      },
      errors: [...errors, "VALIDATION_FAILED"],
    })
    .input(ListDeadLettersInputSchema)
    .output(DeadLetterPageSchema)
    .query(({ ctx, input }) => listDeadLetters(ctx.core, input)),

  retry: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/admin/dead-letters/{deadLetterId}/retry",
        operationId: "retryDeadLetter",
        tags,
        summary: "Queue the import again with fresh attempts",
      },
      successStatus: 202,
      errors: [...errors, "VALIDATION_FAILED", "NOT_FOUND", "DEAD_LETTER_CONFLICT"],
    })
    .input(DeadLetterIdInputSchema)
    .output(z.object({ importId: z.uuid() }).meta({ id: "RetryDeadLetterResponse" }))
    .mutation(({ ctx, input }) => retryDeadLetter(ctx.core, ctx, input.deadLetterId)),

  discard: adminProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/admin/dead-letters/{deadLetterId}",
        operationId: "discardDeadLetter",
        tags,
        summary: "Drop a dead letter; the import stays failed",
      },
      successStatus: 204,
      errors: [...errors, "VALIDATION_FAILED", "NOT_FOUND", "DEAD_LETTER_CONFLICT"],
    })
    .input(DeadLetterIdInputSchema)
    .output(z.void())
    .mutation(({ ctx, input }) => discardDeadLetter(ctx.core, input.deadLetterId)),
} satisfies TRPCRouterRecord;

export const adminMaintenanceRouter = {
  cleanup: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/admin/maintenance/cleanup",
        operationId: "runCleanup",
        tags,
        summary: "Delete expired sessions, revocations and idempotency keys now",
      },
      errors: [...errors],
    })
    .input(z.void())
    .output(CleanupResultSchema)
    .mutation(({ ctx }) => runCleanup(ctx.core)),
} satisfies TRPCRouterRecord;

export const adminDatabaseRouter = {
  verify: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/database",
        operationId: "getDatabaseReport",
        tags,
        summary: "The db:verify checks against the API's database",
        description:
          "Connection, version, TLS, role privileges, migrations and their checksums, schema, " +
          "time zone, timeouts, max_connections against pools x replicas, a write/read/rollback " +
          "round trip and clock skew. A failed check is reported in the body, not as an error.",
      },
      errors: [...errors],
    })
    .input(z.void())
    .output(DatabaseReportSchema)
    .query(({ ctx }) => ctx.verifyDatabase()),
} satisfies TRPCRouterRecord;
