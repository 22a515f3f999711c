import { and, eq, gt, sql } from "drizzle-orm";

import { imports } from "@runway/db";

import type { Core } from "./context";

/**
 * 95th percentile of processing time (first attempt's start to completion) of the imports
 * created in the last `sinceSeconds` and completed, across all workers; null when none.
 */
export async function importTimeP95(core: Core, sinceSeconds = 3600): Promise<number | null> {
  const since = new Date(core.now().getTime() - sinceSeconds * 1000);
  const [row] = await core.db
    .select({
      p95: sql<
        number | string | null
      >`percentile_cont(0.95) within group (order by extract(epoch from ${imports.completedAt} - ${imports.startedAt}))`,
    })
    .from(imports)
    .where(and(eq(imports.status, "completed"), gt(imports.createdAt, since)));
  return row?.p95 === null || row?.p95 === undefined ? null : Number(row.p95);
}
