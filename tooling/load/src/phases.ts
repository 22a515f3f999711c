import type { Scrape } from "./observe";
import type { Verdict } from "./thresholds";
import type { Sample, StageResult } from "./traffic";
import { ROUTE_CLASSES, SLO_P95_MS } from "./routes";
import { percentile, summarize } from "./stats";

/** The first seconds of a step are the system settling; the verdict reads the rest. */
const WARMUP_MS = 5000;
/** A backlog whose oldest import waits this long would breach the 5-minute objective soon. */
const MAX_OLDEST_WAIT_S = 60;

const window = (stage: StageResult) => ({ from: stage.startMs, to: stage.endMs });

/**
 * Whether one capacity step held every objective of docs/slo.md: p95 per route class (after
 * the step settled), availability over the whole step (no more than 0.1 % 5xx, shed 503s and
 * timeouts included: users see them),
 * the generator reached at least 90 % of the offered rate (else the server held it back),
 * and the import queue's oldest wait stayed under a minute.
 */
export function stepVerdicts(samples: Sample[], scrapes: Scrape[], stage: StageResult): Verdict[] {
  const { from, to } = window(stage);
  const s = summarize(samples, from + WARMUP_MS, to);
  // Availability counts the whole step: a shed or failed request while settling is still one.
  const whole = summarize(samples, from, to);
  const verdicts: Verdict[] = ROUTE_CLASSES.flatMap((cls) => {
    const stats = s.byClass[cls];
    if (!stats) return [];
    return [
      {
        name: `${cls} p95`,
        limit: `< ${String(SLO_P95_MS[cls])} ms`,
        actual: `${String(Math.round(stats.p95))} ms`,
        pass: stats.p95 < SLO_P95_MS[cls],
      },
    ];
  });
  const unavailable = whole.errorRate + whole.shedRate;
  verdicts.push({
    name: "5xx + timeouts",
    limit: "<= 0.10 %",
    actual: `${(unavailable * 100).toFixed(2)} %`,
    pass: unavailable <= 0.001,
  });
  verdicts.push({
    name: "achieved rate",
    limit: `>= ${String(Math.round(stage.rate * 0.9))} req/s`,
    actual: `${s.rps.toFixed(1)} req/s`,
    pass: s.rps >= stage.rate * 0.9,
  });
  const oldest = Math.max(
    0,
    ...scrapes.filter((x) => x.t >= from && x.t < to).map((x) => x.oldestWaitS ?? 0),
  );
  verdicts.push({
    name: "oldest queued import",
    limit: `< ${String(MAX_OLDEST_WAIT_S)} s`,
    actual: `${oldest.toFixed(1)} s`,
    pass: oldest < MAX_OLDEST_WAIT_S,
  });
  return verdicts;
}

/** Seconds after `end` until every later `bucketMs` window has p95 within `limit` (null: never). */
export function recoverySeconds(
  samples: Sample[],
  end: number,
  until: number,
  limit: number,
  bucketMs = 2000,
): number | null {
  let recoveredAt: number | null = null;
  for (let t = end; t + bucketMs <= until; t += bucketMs) {
    const latencies = samples
      .filter((x) => x[0] >= t && x[0] < t + bucketMs && x[2] !== 0)
      .map((x) => x[3]);
    const ok = latencies.length === 0 || percentile(latencies, 95) <= limit;
    if (!ok) recoveredAt = null;
    else recoveredAt ??= t;
  }
  return recoveredAt === null ? null : (recoveredAt - end) / 1000;
}

/**
 * The overload checks on the burst at twice the capacity: the excess was shed fast (429/503
 * answered within 1 s at p99; timeouts under 1 %), unexpected 5xx under 1 %, and after the burst
 * the p95 of all requests was back within 1.5x its level before the burst (or the read
 * objective, whichever is higher) within 10 s.
 */
export function overloadVerdicts(samples: Sample[], stages: StageResult[]): Verdict[] {
  const [before, burst, after] = stages;
  if (!before || !burst || !after) return [];
  const b = window(burst);
  const inBurst = samples.filter((x) => x[0] >= b.from && x[0] < b.to);
  const shed = inBurst.filter((x) => x[2] === 429 || x[2] === 503).map((x) => x[3]);
  const s = summarize(samples, b.from, b.to);
  const unexpected5xx = inBurst.filter((x) => x[2] >= 500 && x[2] !== 503).length;
  const n = window(before);
  const normalP95 = percentile(
    samples.filter((x) => x[0] >= n.from + WARMUP_MS && x[0] < n.to && x[2] !== 0).map((x) => x[3]),
    95,
  );
  const limit = Math.max(normalP95 * 1.5, SLO_P95_MS.read);
  const recovered = recoverySeconds(samples, b.to, window(after).to, limit);
  const shedP99 = percentile(shed, 99);
  // Nothing shed is fine only if the burst was absorbed: every class within its objective.
  const overSlo = ROUTE_CLASSES.filter((cls) => (s.byClass[cls]?.p95 ?? 0) >= SLO_P95_MS[cls]);
  const shedShare = ((shed.length / Math.max(1, inBurst.length)) * 100).toFixed(1);
  return [
    {
      name: "excess shed fast as 429/503, or absorbed",
      limit: "shed p99 < 1000 ms; unshed: p95 within SLO",
      actual:
        shed.length > 0
          ? `${String(shed.length)} shed (${shedShare} %), p99 ${String(Math.round(shedP99))} ms`
          : overSlo.length === 0
            ? "none shed, absorbed within SLO"
            : `none shed, queued: ${overSlo.map((c) => `${c} p95 ${String(Math.round(s.byClass[c]?.p95 ?? 0))} ms`).join(", ")}`,
      pass: shed.length > 0 ? shedP99 < 1000 : overSlo.length === 0,
    },
    {
      name: "timeouts during the burst",
      limit: "< 1.00 %",
      actual: `${(s.timeoutRate * 100).toFixed(2)} %`,
      pass: s.timeoutRate < 0.01,
    },
    {
      name: "5xx other than shed 503",
      limit: "< 1.00 %",
      actual: `${((unexpected5xx / Math.max(1, inBurst.length)) * 100).toFixed(2)} %`,
      pass: unexpected5xx / Math.max(1, inBurst.length) < 0.01,
    },
    {
      name: "p95 back to normal after the burst",
      limit: `<= 10 s (p95 <= ${String(Math.round(limit))} ms)`,
      actual: recovered === null ? "never" : `${recovered.toFixed(0)} s`,
      pass: recovered !== null && recovered <= 10,
    },
  ];
}
