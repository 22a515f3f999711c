import { count, eq, gt } from "drizzle-orm";

import type { DeadLetter } from "@runway/contracts";
import type { Executor } from "@runway/db";
import { deadLetters } from "@runway/db";

import type { Core, Dispatch } from "./context";
import { AppError } from "./errors";
import { requeueFailedImport } from "./import-processing";
import { encodeCursor, keysetAfter, newestFirst, toPage } from "./pagination";

// Imports whose attempts are spent (their dead letters): listed, counted, retried or
// discarded by an admin.

export async function listDeadLetters(
  core: Core,
  input: { limit: number; cursor?: string | undefined },
) {
  const rows = await core.db
    .select({
      id: deadLetters.id,
      importId: deadLetters.importId,
      error: deadLetters.error,
      attempts: deadLetters.attempts,
      createdAt: deadLetters.createdAt,
    })
    .from(deadLetters)
    .where(keysetAfter(deadLetters, input.cursor))
    .orderBy(...newestFirst(deadLetters))
    .limit(input.limit + 1);
  const page = toPage(rows, input.limit, encodeCursor);
  return {
    items: page.items.map((row): DeadLetter => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}

export async function countDeadLetters(core: Core): Promise<number> {
  const [row] = await core.db.select({ n: count() }).from(deadLetters);
  return row?.n ?? 0;
}

/** Dead letters written in the last `seconds`, for the "dead letters growing" alert. */
export async function countDeadLettersSince(core: Core, seconds: number): Promise<number> {
  const since = new Date(core.now().getTime() - seconds * 1000);
  const [row] = await core.db
    .select({ n: count() })
    .from(deadLetters)
    .where(gt(deadLetters.createdAt, since));
  return row?.n ?? 0;
}

/**
 * Takes the dead letter for one admin action and deletes it. An action that saw the letter but
 * finds it gone once it holds the row lock lost a race with a concurrent retry or discard: a
 * conflict. One that never saw it is NOT_FOUND.
 */
async function takeDeadLetter(tx: Executor, deadLetterId: string): Promise<{ importId: string }> {
  const byId = eq(deadLetters.id, deadLetterId);
  const [seen] = await tx.select({ id: deadLetters.id }).from(deadLetters).where(byId);
  if (!seen) throw new AppError("NOT_FOUND", "Dead letter not found");
  const [letter] = await tx
    .select({ importId: deadLetters.importId })
    .from(deadLetters)
    .where(byId)
    .for("update");
  if (!letter) {
    throw new AppError(
      "DEAD_LETTER_CONFLICT",
      "Another admin retried or discarded this dead letter at the same time",
    );
  }
  await tx.delete(deadLetters).where(byId);
  return letter;
}

/**
 * Puts a dead-lettered import back in the queue with fresh attempts, then hands it to the
 * queue. A failed hand-over is reported, not returned: the sweeper dispatches the import.
 */
export async function retryDeadLetter(
  core: Core,
  dispatch: Dispatch,
  deadLetterId: string,
): Promise<{ importId: string }> {
  const job = await core.db.transaction(async (tx) => {
    const letter = await takeDeadLetter(tx, deadLetterId);
    const row = await requeueFailedImport(tx, letter.importId, core.now());
    if (!row) throw new AppError("NOT_FOUND", "Import not found");
    return row;
  });
  await dispatch.queue.requeue(job).catch((error: unknown) => {
    dispatch.reportError("requeue failed; the sweeper will dispatch the import", error);
  });
  return { importId: job.importId };
}

/** Drops a dead letter; its import stays failed. */
export async function discardDeadLetter(core: Core, deadLetterId: string): Promise<void> {
  await core.db.transaction((tx) => takeDeadLetter(tx, deadLetterId));
}
