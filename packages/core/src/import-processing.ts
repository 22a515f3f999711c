import { and, eq, inArray, lte, or, sql } from "drizzle-orm";

import type { ImportJobPayload } from "@runway/contracts";
import type { Executor } from "@runway/db";
import type { RetryPolicy } from "@runway/queue";
import { deadLetters, imports } from "@runway/db";

import type { Core } from "./context";
import { rowsOf } from "./prepared";

// The import lifecycle: queued -> processing -> completed | failed, with retries back to queued
// and a dead letter for an import whose attempts are spent. Every change of an import's status
// after its creation is made here; the queues only decide when to call these.

/** Marks the start of an attempt; null when the import is gone or already finished. */
export async function startAttempt(
  core: Core,
  importId: string,
): Promise<{ attempts: number; source: string } | null> {
  const [row] = await core.db
    .update(imports)
    .set({
      status: "processing",
      attempts: sql`${imports.attempts} + 1`,
      startedAt: sql`coalesce(${imports.startedAt}, now())`,
    })
    .where(and(eq(imports.id, importId), inArray(imports.status, ["queued", "processing"])))
    .returning({ attempts: imports.attempts, source: imports.source });
  return row ?? null;
}

/**
 * Dedupes items by hash and marks those matching a registered user, then records the counts
 * and completes the import, all in one transaction. Everything is recomputed from the stored
 * items, so a re-run after a crash gives the same result. The import row is locked first, the
 * order an erasure (DELETE, cascading to the items) takes too, so the two queue instead of
 * deadlocking; an import erased meanwhile is left alone.
 */
async function computeResults(core: Core, importId: string): Promise<void> {
  await core.db.transaction(async (tx) => {
    const [held] = await tx
      .select({ id: imports.id })
      .from(imports)
      .where(and(eq(imports.id, importId), eq(imports.status, "processing")))
      .for("no key update");
    if (!held) return;
    // Only rows whose outcome differs are written: most items stay "valid" and unmatched, as
    // stored, and rewriting all of them cost PostgreSQL a new version of every row.
    await tx.execute(sql`
      with ranked as (
        select idx, email_hash,
               row_number() over (partition by coalesce(email_hash, phone_hash) order by idx) as rn
        from import_items
        where import_id = ${importId} and status <> 'invalid'
      ), outcome as (
        select idx,
               case when rn > 1 then 'duplicate' else 'valid' end as status,
               rn = 1 and email_hash is not null
                 and exists (select 1 from users u where u.email_hash = ranked.email_hash) as matched
        from ranked
      )
      update import_items i
      set status = o.status, matched = o.matched
      from outcome o
      where i.import_id = ${importId} and i.idx = o.idx
        and (i.status, i.matched) is distinct from (o.status, o.matched)`);
    await tx.execute(sql`
      update imports set
        status = 'completed',
        completed_at = now(),
        error = null,
        valid_items = c.valid, invalid_items = c.invalid,
        duplicate_items = c.duplicate, matched_items = c.matched
      from (
        select count(*) filter (where status = 'valid')::int as valid,
               count(*) filter (where status = 'invalid')::int as invalid,
               count(*) filter (where status = 'duplicate')::int as duplicate,
               count(*) filter (where matched)::int as matched
        from import_items where import_id = ${importId}
      ) c
      where imports.id = ${importId} and imports.status = 'processing'`);
  });
}

/**
 * One attempt at an import: the job handler of both dispatchers. Returns false when there is
 * nothing to do (deleted or already finished). A thrown error is recorded on the import and
 * left to the dispatcher's retry policy.
 */
export async function processImport(core: Core, importId: string): Promise<boolean> {
  const attempt = await startAttempt(core, importId);
  if (!attempt) return false;
  try {
    if (core.imports.failSource !== null && attempt.source === core.imports.failSource) {
      throw new Error("injected failure");
    }
    await computeResults(core, importId);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message.slice(0, 500) : "processing failed";
    await core.db
      .update(imports)
      .set({ error: message })
      .where(eq(imports.id, importId))
      .catch(() => undefined);
    throw error;
  }
}

/** Attempts are spent: the import fails and a dead letter is written (once). */
export async function failImport(core: Core, importId: string, error: string): Promise<void> {
  await core.db.transaction(async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({ status: "failed", error: error.slice(0, 500), completedAt: sql`now()` })
      .where(and(eq(imports.id, importId), inArray(imports.status, ["queued", "processing"])))
      .returning({ attempts: imports.attempts });
    if (!row) return;
    await tx
      .insert(deadLetters)
      .values({ importId, error: error.slice(0, 500), attempts: row.attempts })
      .onConflictDoNothing();
  });
}

/** Exponential backoff with jitter: base * 2^(n-1), scaled by a random factor in [0.5, 1]. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.round(policy.backoffMs * 2 ** Math.max(0, attempt - 1) * (0.5 + Math.random() * 0.5));
}

/**
 * Claims the next due import with `FOR UPDATE SKIP LOCKED` and leases it until `run_after`; a
 * crashed holder's lease lapses and the import is claimed again.
 */
export async function claimNextImport(
  core: Core,
  leaseMs: number,
): Promise<ImportJobPayload | null> {
  const [row] = await rowsOf<{ id: string; request_id: string | null }>(
    core.db,
    sql`
    update imports set status = 'processing', run_after = now() + ${`${leaseMs} milliseconds`}::interval
    where id = (
      select id from imports
      where status in ('queued', 'processing') and run_after <= now()
      order by run_after, created_at
      limit 1
      for update skip locked
    )
    returning id, request_id`,
  );
  return row ? { importId: row.id, requestId: row.request_id } : null;
}

/** A failed attempt: back to queued with backoff while attempts remain. */
export async function retryLater(
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

/**
 * An admin retry of a dead-lettered import: back to queued with fresh attempts, in the
 * caller's transaction (the one that takes the dead letter).
 */
export async function requeueFailedImport(
  tx: Executor,
  importId: string,
  now: Date,
): Promise<ImportJobPayload | null> {
  const [row] = await tx
    .update(imports)
    .set({
      status: "queued",
      attempts: 0,
      error: null,
      completedAt: null,
      startedAt: null,
      runAfter: now,
    })
    .where(eq(imports.id, importId))
    .returning({ importId: imports.id, requestId: imports.requestId });
  return row ?? null;
}

/** Imports that should be in a queue: queued or processing, and older than `olderThanMs`. */
export async function pendingImports(core: Core, olderThanMs: number, limit = 500) {
  return core.db
    .select({
      id: imports.id,
      status: imports.status,
      requestId: imports.requestId,
      attempts: imports.attempts,
    })
    .from(imports)
    .where(
      and(
        or(eq(imports.status, "queued"), eq(imports.status, "processing")),
        lte(imports.createdAt, new Date(core.now().getTime() - olderThanMs)),
      ),
    )
    .orderBy(imports.status, imports.createdAt)
    .limit(limit);
}

/** The two callbacks both dispatchers (BullMQ worker, embedded PostgreSQL) need. */
export function importJobHandlers(core: Core) {
  return {
    handler: async (payload: { importId: string }) => {
      await processImport(core, payload.importId);
    },
    onExhausted: (payload: { importId: string }, error: string) =>
      failImport(core, payload.importId, error),
  };
}
