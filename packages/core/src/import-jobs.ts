import { eq, inArray, min, sql } from "drizzle-orm";

import type { ImportJobStore, QueueCounts } from "@runway/queue";
import { imports } from "@runway/db";

import type { Core } from "./context";
import { claimNextImport, retryLater } from "./import-processing";

// The imports table as the embedded dispatcher's queue: read-only views here, status changes
// in import-processing.ts; the dispatcher (packages/queue) only calls these.

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
