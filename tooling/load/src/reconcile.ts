import postgres from "postgres";

export interface Reconciliation {
  accepted: number;
  completed: number;
  failed: number;
  pending: number;
  /** Accepted (202) but not in PostgreSQL at all. */
  missing: number;
  waitedS: number;
  source: "postgres" | "api";
}

/**
 * Every import answered 202 must reach `completed`: waits up to `timeoutS` for the queue to
 * drain, then counts the run's imports by status in PostgreSQL (the source of truth). Against a
 * deployment this needs `--database`; without it the run reports the check as not done.
 */
export async function reconcileInPostgres(
  databaseUrl: string,
  ids: string[],
  timeoutS = 180,
): Promise<Reconciliation> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  const started = Date.now();
  try {
    for (;;) {
      const rows = await sql<{ status: string; n: number }[]>`
        select status, count(*)::int as n from imports where id = any(${ids}::uuid[]) group by status`;
      const by = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
      const found = rows.reduce((sum, r) => sum + r.n, 0);
      const completed = by.completed ?? 0;
      const failed = by.failed ?? 0;
      const pending = found - completed - failed;
      const waitedS = Math.round((Date.now() - started) / 1000);
      if (pending === 0 || waitedS >= timeoutS) {
        return {
          accepted: ids.length,
          completed,
          failed,
          pending,
          missing: ids.length - found,
          waitedS,
          source: "postgres",
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await sql.end();
  }
}
