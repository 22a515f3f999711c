import type { RunResult } from "../results";
import { ROUTE_CLASSES } from "../routes";

export interface Delta {
  metric: string;
  baseline: number;
  candidate: number;
  /** Relative change for latencies and throughput; absolute (percentage points) for rates. */
  change: string;
  regression: boolean;
}

export interface Tolerance {
  /** Latency may grow this much (relative, 0.1 = 10 %). */
  latency: number;
  /** Throughput may drop this much (relative). */
  throughput: number;
  /** Error, 429 and shed rates may grow this many percentage points. */
  ratePoints: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { latency: 0.1, throughput: 0.1, ratePoints: 0.5 };

const rel = (a: number, b: number) => (a === 0 ? (b === 0 ? 0 : Infinity) : (b - a) / a);
const signed = (x: number, digits = 1) => `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;

/** A relative change, a regression past `limit` in the direction that is worse. */
function relative(
  metric: string,
  baseline: number,
  candidate: number,
  limit: number,
  worse: "higher" | "lower",
): Delta {
  const r = rel(baseline, candidate);
  return {
    metric,
    baseline,
    candidate,
    change: `${signed(r * 100)} %`,
    regression: worse === "higher" ? r > limit : r < -limit,
  };
}

/** Baseline against candidate: per-class p95/p99, throughput and rates, each flagged past tolerance. */
export function compareRuns(
  baseline: RunResult,
  candidate: RunResult,
  tolerance: Tolerance = DEFAULT_TOLERANCE,
): Delta[] {
  const deltas: Delta[] = [];
  for (const cls of ROUTE_CLASSES) {
    const a = baseline.summary.byClass[cls];
    const b = candidate.summary.byClass[cls];
    if (!a || !b) continue;
    for (const p of ["p95", "p99"] as const) {
      deltas.push(relative(`${cls} ${p} (ms)`, a[p], b[p], tolerance.latency, "higher"));
    }
  }
  deltas.push(
    relative(
      "throughput (req/s)",
      baseline.summary.rps,
      candidate.summary.rps,
      tolerance.throughput,
      "lower",
    ),
  );
  for (const [metric, key] of [
    ["error rate (%)", "errorRate"],
    ["429 share (%)", "rate429"],
    ["shed 503 share (%)", "shedRate"],
  ] as const) {
    const a = baseline.summary[key] * 100;
    const b = candidate.summary[key] * 100;
    deltas.push({
      metric,
      baseline: a,
      candidate: b,
      change: `${signed(b - a, 2)} pp`,
      regression: b - a > tolerance.ratePoints,
    });
  }
  if (baseline.capacity?.rate != null && candidate.capacity?.rate != null) {
    deltas.push(
      relative(
        "capacity (req/s)",
        baseline.capacity.rate,
        candidate.capacity.rate,
        tolerance.throughput,
        "lower",
      ),
    );
  }
  return deltas;
}

export function comparisonMarkdown(
  baseline: RunResult,
  candidate: RunResult,
  deltas: Delta[],
  tolerance: Tolerance,
): string {
  const regressions = deltas.filter((d) => d.regression);
  const num = (x: number) => (Math.abs(x) >= 100 ? String(Math.round(x)) : x.toFixed(2));
  return [
    `## Comparison: ${baseline.startedAt} (baseline) → ${candidate.startedAt} (candidate)`,
    "",
    `Tolerance: latency +${String(tolerance.latency * 100)} %, throughput −${String(tolerance.throughput * 100)} %, ` +
      `rates +${String(tolerance.ratePoints)} pp. ${regressions.length === 0 ? "No regression." : `**${String(regressions.length)} regression(s).**`}`,
    "",
    "| metric | baseline | candidate | change | verdict |",
    "| --- | --- | --- | --- | --- |",
    ...deltas.map(
      (d) =>
        `| ${d.metric} | ${num(d.baseline)} | ${num(d.candidate)} | ${d.change} | ${d.regression ? "**REGRESSION**" : "ok"} |`,
    ),
    "",
  ].join("\n");
}
