/** Canary analysis: compares the canary track with stable and decides promote or roll back. */

export interface TrackSample {
  /** User requests (/v1 and /trpc) in the window. */
  requests: number;
  /** 5xx share of those requests, 0-1. */
  errorRatio: number;
  /** 95th percentile latency in seconds; null when there were no requests to measure. */
  p95Seconds: number | null;
}

export interface Thresholds {
  /** Requests each track must have served in the window before anything is decided. */
  minRequests: number;
  /** Canary 5xx ratio may exceed stable's by at most this much (absolute, 0.01 = 1 point). */
  maxErrorRatioIncrease: number;
  /** And may never exceed this (the alerting threshold, ALERT_5XX_RATIO). */
  maxErrorRatio: number;
  /** Canary p95 may be at most this multiple of stable's ... */
  maxP95Ratio: number;
  /** ... plus this many seconds, so a 10 ms vs 14 ms difference is not a regression. */
  p95SlackSeconds: number;
  /** And may never exceed this (the latency SLO). */
  maxP95Seconds: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  minRequests: 200,
  maxErrorRatioIncrease: 0.01,
  maxErrorRatio: 0.05,
  maxP95Ratio: 1.25,
  p95SlackSeconds: 0.025,
  maxP95Seconds: 0.5,
};

export type Decision = "promote" | "rollback" | "inconclusive";

export interface Analysis {
  decision: Decision;
  /** Why: every failed check for a roll back, every passed one for a promotion. */
  reasons: string[];
}

/** Exit codes of `pnpm canary:analyze`. */
export const EXIT_CODES: Record<Decision, number> = { promote: 0, rollback: 1, inconclusive: 2 };

const percent = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;
const ms = (seconds: number) => `${Math.round(seconds * 1000)} ms`;

export function analyzeCanary(
  stable: TrackSample | undefined,
  canary: TrackSample | undefined,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): Analysis {
  const missing: string[] = [];
  for (const [name, sample] of [
    ["canary", canary],
    ["stable", stable],
  ] as const) {
    if (!sample) missing.push(`no ${name} traffic in the window (is its track label set?)`);
    else if (sample.requests < thresholds.minRequests)
      missing.push(
        `${name} served ${Math.round(sample.requests)} requests, fewer than ${thresholds.minRequests}: wait longer`,
      );
  }
  if (!stable || !canary || missing.length > 0)
    return { decision: "inconclusive", reasons: missing };

  const failures: string[] = [];
  const passes: string[] = [];
  /** "what value <= limit (basis)" when it passes, ">" when it fails. */
  const check = (
    what: string,
    value: number,
    limit: number,
    basis: string,
    show: (n: number) => string,
  ) => {
    const ok = value <= limit;
    (ok ? passes : failures).push(
      `${what} ${show(value)} ${ok ? "<=" : ">"} ${show(limit)} (${basis})`,
    );
  };

  const points = thresholds.maxErrorRatioIncrease * 100;
  check(
    "canary 5xx ratio",
    canary.errorRatio,
    stable.errorRatio + thresholds.maxErrorRatioIncrease,
    `stable ${percent(stable.errorRatio)} + ${points} points`,
    percent,
  );
  check(
    "canary 5xx ratio",
    canary.errorRatio,
    thresholds.maxErrorRatio,
    "alert threshold",
    percent,
  );

  if (canary.p95Seconds === null || stable.p95Seconds === null) {
    failures.push("p95 latency could not be computed for both tracks");
  } else {
    check(
      "canary p95",
      canary.p95Seconds,
      stable.p95Seconds * thresholds.maxP95Ratio + thresholds.p95SlackSeconds,
      `stable ${ms(stable.p95Seconds)} x ${thresholds.maxP95Ratio} + ${ms(thresholds.p95SlackSeconds)}`,
      ms,
    );
    check("canary p95", canary.p95Seconds, thresholds.maxP95Seconds, "latency SLO", ms);
  }
  return failures.length > 0
    ? { decision: "rollback", reasons: failures }
    : { decision: "promote", reasons: passes };
}
