import { and, eq, inArray, lte, or, sql } from "drizzle-orm";

import { deadLetters, imports } from "@runway/db";

import type { Core } from "./context";

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
    await tx.execute(sql`
      with ranked as (
        select idx, row_number() over (partition by coalesce(email_hash, phone_hash) order by idx) as rn
        from import_items
        where import_id = ${importId} and status <> 'invalid'
      )
      update import_items i
      set status = case when r.rn > 1 then 'duplicate' else 'valid' end,
          matched = r.rn = 1 and i.email_hash is not null
            and exists (select 1 from users u where u.email_hash = i.email_hash)
      from ranked r
      where i.import_id = ${importId} and i.idx = r.idx`);
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
