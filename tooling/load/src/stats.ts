import type { RouteClass } from "./routes";
import type { Sample } from "./traffic";
import { ROUTE_CLASSES } from "./routes";

export interface ClassStats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface Summary {
  requests: number;
  durationS: number;
  rps: number;
  byClass: Partial<Record<RouteClass, ClassStats>>;
  /** Unexpected failures: 5xx other than a shed 503, and timeouts/resets; share of all. */
  errorRate: number;
  rate429: number;
  /** 503 SERVICE_UNAVAILABLE: load shed by the API; share of all. */
  shedRate: number;
  timeoutRate: number;
  status: Record<string, number>;
}

/** Nearest-rank percentile of unsorted values (0 when empty). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0
  );
}

/** Aggregates the samples whose time falls in [from, to) ms of the run. */
export function summarize(samples: Sample[], from = 0, to = Infinity): Summary {
  const inWindow = samples.filter(([t]) => t >= from && t < to);
  const byClass: Partial<Record<RouteClass, ClassStats>> = {};
  ROUTE_CLASSES.forEach((cls, index) => {
    const latencies = inWindow.filter((s) => s[1] === index && s[2] !== 0).map((s) => s[3]);
    if (latencies.length === 0) return;
    byClass[cls] = {
      count: latencies.length,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    };
  });
  const status: Record<string, number> = {};
  for (const s of inWindow) status[String(s[2])] = (status[String(s[2])] ?? 0) + 1;
  const n = inWindow.length;
  const share = (count: number) => (n === 0 ? 0 : count / n);
  const count = (test: (code: number) => boolean) =>
    Object.entries(status).reduce((sum, [code, c]) => sum + (test(Number(code)) ? c : 0), 0);
  const first = inWindow[0]?.[0] ?? 0;
  const last = inWindow.at(-1)?.[0] ?? 0;
  const durationS = Number.isFinite(to) && from < to ? (to - from) / 1000 : (last - first) / 1000;
  return {
    requests: n,
    durationS,
    rps: durationS > 0 ? n / durationS : 0,
    byClass,
    errorRate: share(count((c) => c === 0 || (c >= 500 && c !== 503))),
    rate429: share(count((c) => c === 429)),
    shedRate: share(count((c) => c === 503)),
    timeoutRate: share(count((c) => c === 0)),
    status,
  };
}

/** One row per route class that saw traffic: class, requests, p50, p95 and p99 in whole ms. */
export function latencyRows(summary: Summary): [RouteClass, ...string[]][] {
  return ROUTE_CLASSES.flatMap((cls) => {
    const c = summary.byClass[cls];
    return c
      ? [
          [
            cls,
            String(c.count),
            String(Math.round(c.p50)),
            String(Math.round(c.p95)),
            String(Math.round(c.p99)),
          ] satisfies [RouteClass, ...string[]],
        ]
      : [];
  });
}
