import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import type { ErrorCode } from "@runway/contracts";
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
import { adminMeta, adminProcedure } from "./admin";

/** The queue's counts, or 503 while Redis is unreachable (the admin retries; nothing is lost). */
export async function queueCounts(ctx: Context): Promise<QueueCounts> {
  try {
    return await ctx.queue.counts();
  } catch {
    throw new AppError("SERVICE_UNAVAILABLE", "The queue is unreachable; try again shortly");
  }
}

/** A retry and a discard of the same dead letter can race; core refuses the loser with a 409. */
const deadLetterErrors: ErrorCode[] = ["NOT_FOUND", "DEAD_LETTER_CONFLICT"];

export const adminQueueRouter = {
  stats: adminProcedure
    .meta(
      adminMeta(
        "GET",
        "/admin/queue",
        "getQueueStats",
        "Jobs per state and the oldest waiting age",
      ),
    )
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
    .meta(
      adminMeta(
        "GET",
        "/admin/dead-letters",
        "listDeadLetters",
        "Imports that failed every attempt",
      ),
    )
    .input(ListDeadLettersInputSchema)
    .output(DeadLetterPageSchema)
    .query(({ ctx, input }) => listDeadLetters(ctx.core, input)),

  retry: adminProcedure
    .meta(
      adminMeta(
        "POST",
        "/admin/dead-letters/{deadLetterId}/retry",
        "retryDeadLetter",
        "Queue the import again with fresh attempts",
        { successStatus: 202, errors: deadLetterErrors },
      ),
    )
    .input(DeadLetterIdInputSchema)
    .output(z.object({ importId: z.uuid() }).meta({ id: "RetryDeadLetterResponse" }))
    .mutation(({ ctx, input }) => retryDeadLetter(ctx.core, ctx, input.deadLetterId)),

  discard: adminProcedure
    .meta(
      adminMeta(
        "DELETE",
        "/admin/dead-letters/{deadLetterId}",
        "discardDeadLetter",
        "Drop a dead letter; the import stays failed",
        { successStatus: 204, errors: deadLetterErrors },
      ),
    )
    .input(DeadLetterIdInputSchema)
    .output(z.void())
    .mutation(({ ctx, input }) => discardDeadLetter(ctx.core, input.deadLetterId)),
} satisfies TRPCRouterRecord;

export const adminMaintenanceRouter = {
  cleanup: adminProcedure
    .meta(
      adminMeta(
        "POST",
        "/admin/maintenance/cleanup",
        "runCleanup",
        "Delete expired sessions, revocations and idempotency keys now",
      ),
    )
    .input(z.void())
    .output(CleanupResultSchema)
    .mutation(({ ctx }) => runCleanup(ctx.core)),
} satisfies TRPCRouterRecord;

export const adminDatabaseRouter = {
  verify: adminProcedure
    .meta(
      adminMeta(
        "GET",
        "/admin/database",
        "getDatabaseReport",
        "The db:verify checks against the API's database",
        {
          description:
            "Connection, version, TLS, role privileges, migrations and their checksums, schema, " +
            "time zone, timeouts, max_connections against pools x replicas, a write/read/rollback " +
            "round trip and clock skew. A failed check is reported in the body, not as an error.",
        },
      ),
    )
    .input(z.void())
    .output(DatabaseReportSchema)
    .query(({ ctx }) => ctx.verifyDatabase()),
} satisfies TRPCRouterRecord;
