import type { RouteClass } from "./routes";
import type { Summary } from "./stats";
import { ROUTE_CLASSES } from "./routes";

export interface Thresholds {
  p95Ms: Partial<Record<RouteClass, number>>;
  p99Ms: Partial<Record<RouteClass, number>>;
  /** Unexpected failures (5xx other than a shed 503, timeouts), share of requests. */
  maxErrorRate: number;
  max429Share: number;
  /** Shed 503s; left out where shedding is the point (overload). */
  maxShedShare?: number;
  /** Failed sessions, share of sessions that ended. */
  maxSessionFailShare?: number;
  /** Every accepted import completed, none lost. */
  importsReconcile?: boolean;
}

export interface Verdict {
  name: string;
  limit: string;
  actual: string;
  pass: boolean;
}

export interface Extra {
  sessions?: { completed: number; failed: number };
  imports?: { accepted: number; completed: number; missing: number } | null;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const ms = (x: number) => `${Math.round(x)} ms`;

/** Each threshold against a run's summary: one verdict per check; the run passes if all do. */
export function evaluate(thresholds: Thresholds, summary: Summary, extra: Extra = {}): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const cls of ROUTE_CLASSES) {
    const stats = summary.byClass[cls];
    for (const [p, limits] of [
      ["p95", thresholds.p95Ms],
      ["p99", thresholds.p99Ms],
    ] as const) {
      const limit = limits[cls];
      if (limit === undefined || !stats) continue;
      const actual = stats[p];
      verdicts.push({
        name: `${cls} ${p}`,
        limit: `< ${ms(limit)}`,
        actual: ms(actual),
        pass: actual < limit,
      });
    }
  }
  const ratio = (name: string, limit: number | undefined, actual: number) => {
    if (limit === undefined) return;
    verdicts.push({ name, limit: `<= ${pct(limit)}`, actual: pct(actual), pass: actual <= limit });
  };
  ratio("error rate (5xx but shed 503, timeouts)", thresholds.maxErrorRate, summary.errorRate);
  ratio("429 share", thresholds.max429Share, summary.rate429);
  ratio("shed 503 share", thresholds.maxShedShare, summary.shedRate);
  const sessions = extra.sessions;
  if (sessions && thresholds.maxSessionFailShare !== undefined) {
    const ended = sessions.completed + sessions.failed;
    ratio(
      "failed sessions",
      thresholds.maxSessionFailShare,
      ended === 0 ? 0 : sessions.failed / ended,
    );
  }
  if (thresholds.importsReconcile) {
    const imports = extra.imports;
    verdicts.push({
      name: "accepted imports completed (PostgreSQL)",
      limit: "all, none lost",
      actual: imports
        ? `${String(imports.completed)} of ${String(imports.accepted)}, ${String(imports.missing)} missing`
        : "not checked",
      pass: imports ? imports.completed === imports.accepted && imports.missing === 0 : false,
    });
  }
  return verdicts;
}
