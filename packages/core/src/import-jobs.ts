import { and, eq, inArray, min, sql } from "drizzle-orm";

import type { ImportJobPayload } from "@runway/contracts";
import type { ImportJobStore, QueueCounts, RetryPolicy } from "@runway/queue";
import { imports } from "@runway/db";

import type { Core } from "./context";

// The imports table as the embedded dispatcher's queue. Every status change here belongs to
// the lifecycle in import-processing.ts; the dispatcher (packages/queue) only calls these.

/** Exponential backoff with jitter: base * 2^(n-1), scaled by a random factor in [0.5, 1]. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.round(policy.backoffMs * 2 ** Math.max(0, attempt - 1) * (0.5 + Math.random() * 0.5));
}

/**
 * Claims the next due import with `FOR UPDATE SKIP LOCKED` and leases it until `run_after`; a
 * crashed holder's lease lapses and the import is claimed again.
 */
async function claimNextImport(core: Core, leaseMs: number): Promise<ImportJobPayload | null> {
  const rows = await core.db.execute(sql`
    update imports set status = 'processing', run_after = now() + ${`${leaseMs} milliseconds`}::interval
    where id = (
      select id from imports
      where status in ('queued', 'processing') and run_after <= now()
      order by run_after, created_at
      limit 1
      for update skip locked
    )
    returning id, request_id`);
  const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as {
    id: string;
    request_id: string | null;
  }[];
  const row = list[0];
  return row ? { importId: row.id, requestId: row.request_id } : null;
}

/** A failed attempt: back to queued with backoff while attempts remain. */
async function retryLater(
  core: Core,
  importId: string,
  policy: RetryPolicy,
): Promise<"scheduled" | "exhausted" | "gone"> {
  const [row] = await core.db
    .select({ attempts: imports.attempts })
    .from(imports)
    .where(eq(imports.id, importId));
  if (!row) return "gone";
  if (row.attempts >= policy.attempts) return "exhausted";
  await core.db
    .update(imports)
    .set({
      status: "queued",
      runAfter: new Date(core.now().getTime() + backoffDelay(policy, row.attempts)),
    })
    .where(and(eq(imports.id, importId), eq(imports.status, "processing")));
  return "scheduled";
}

async function importJobCounts(core: Core): Promise<QueueCounts> {
  const rows = await core.db
    .select({
      status: imports.status,
      n: sql<number>`count(*)::int`,
      oldest: min(imports.createdAt),
    })
    .from(imports)
    .where(inArray(imports.status, ["queued", "processing"]))
    .groupBy(imports.status);
  const queued = rows.find((row) => row.status === "queued");
  const [done] = await core.db
    .select({
      completed: sql<number>`count(*) filter (where status = 'completed')::int`,
      failed: sql<number>`count(*) filter (where status = 'failed')::int`,
    })
    .from(imports);
  return {
    waiting: queued?.n ?? 0,
    active: rows.find((row) => row.status === "processing")?.n ?? 0,
    delayed: 0,
    failed: done?.failed ?? 0,
    completed: done?.completed ?? 0,
    oldestWaitingAgeSeconds: queued?.oldest
      ? Math.max(0, (core.now().getTime() - queued.oldest.getTime()) / 1000)
      : null,
  };
}

export function importJobStore(core: Core): ImportJobStore {
  return {
    claim: (leaseMs) => claimNextImport(core, leaseMs),
    retryLater: (importId, policy) => retryLater(core, importId, policy),
    async state(importId) {
      const [row] = await core.db
        .select({ status: imports.status })
        .from(imports)
        .where(eq(imports.id, importId));
      if (!row) return "missing";
      if (row.status === "queued") return "waiting";
      return row.status === "processing" ? "active" : row.status;
    },
    counts: () => importJobCounts(core),
    async ping() {
      await core.db.execute(sql`select 1`);
    },
  };
}
