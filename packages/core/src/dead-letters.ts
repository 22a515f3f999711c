import { and, count, desc, eq, gt, lt, or } from "drizzle-orm";

import { deadLetters, imports } from "@runway/db";

import type { Core } from "./context";
import { AppError } from "./errors";
import { decodeCursor, toPage } from "./pagination";

// Imports whose attempts are spent (their dead letters): listed, counted, retried or
// discarded by an admin.

export async function listDeadLetters(
  core: Core,
  input: { limit: number; cursor?: string | undefined },
) {
  const position = input.cursor ? decodeCursor(input.cursor) : null;
  const rows = await core.db
    .select()
    .from(deadLetters)
    .where(
      position
        ? or(
            lt(deadLetters.createdAt, position.createdAt),
            and(eq(deadLetters.createdAt, position.createdAt), lt(deadLetters.id, position.id)),
          )
        : undefined,
    )
    .orderBy(desc(deadLetters.createdAt), desc(deadLetters.id))
    .limit(input.limit + 1);
  const page = toPage(rows, input.limit, (row) => ({ createdAt: row.createdAt, id: row.id }));
  return {
    items: page.items.map((row) => ({
      id: row.id,
      importId: row.importId,
      error: row.error,
      attempts: row.attempts,
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

/** Puts a dead-lettered import back in the queue with fresh attempts; returns its id. */
export async function retryDeadLetter(
  core: Core,
  deadLetterId: string,
): Promise<{ importId: string; requestId: string | null }> {
  return core.db.transaction(async (tx) => {
    const [letter] = await tx
      .delete(deadLetters)
      .where(eq(deadLetters.id, deadLetterId))
      .returning();
    if (!letter) throw new AppError("NOT_FOUND", "Dead letter not found");
    const [row] = await tx
      .update(imports)
      .set({
        status: "queued",
        attempts: 0,
        error: null,
        completedAt: null,
        startedAt: null,
        runAfter: core.now(),
      })
      .where(eq(imports.id, letter.importId))
      .returning({ id: imports.id, requestId: imports.requestId });
    if (!row) throw new AppError("NOT_FOUND", "Import not found");
    return { importId: row.id, requestId: row.requestId };
  });
}

export async function discardDeadLetter(core: Core, deadLetterId: string): Promise<void> {
  const deleted = await core.db
    .delete(deadLetters)
    .where(eq(deadLetters.id, deadLetterId))
    .returning({ id: deadLetters.id });
  if (deleted.length === 0) throw new AppError("NOT_FOUND", "Dead letter not found");
}
