import type { ImportQueue } from "@runway/queue";

import type { Core } from "./context";
import { failImport, pendingImports } from "./import-processing";

export interface SweepResult {
  checked: number;
  redispatched: number;
  failed: number;
}

/**
 * PostgreSQL is the source of truth: every queued or processing import must be held by the
 * queue. Re-dispatches those it lost (Redis down at creation, Redis flushed, a crash between
 * commit and enqueue) and settles those whose job already failed for good.
 */
export async function sweepImports(
  core: Core,
  queue: ImportQueue,
  olderThanMs: number,
): Promise<SweepResult> {
  const result: SweepResult = { checked: 0, redispatched: 0, failed: 0 };
  for (const row of await pendingImports(core, olderThanMs)) {
    result.checked++;
    const state = await queue.inspect(row.id);
    if (state === "waiting" || state === "active" || state === "delayed") continue;
    if (state === "failed") {
      await failImport(core, row.id, "attempts exhausted");
      result.failed++;
      continue;
    }
    // Missing, or "completed" without the import being completed: dispatch again.
    await queue.requeue({ importId: row.id, requestId: row.requestId });
    result.redispatched++;
  }
  return result;
}
