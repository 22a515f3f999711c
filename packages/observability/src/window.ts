import type { Metrics, RefreshOutcome } from "./metrics";
import { HTTP_BUCKETS, REFRESH_OUTCOMES } from "./metrics";

/** Point-in-time figures sampled alongside the counters (queue depth, dead letters, ...). */
export type Gauges = Record<string, number | null>;

/** Cumulative totals read off the registry at one instant. */
export interface Snapshot {
  at: number;
  /** Request counts per latency bucket (same order as HTTP_BUCKETS, then +Inf), API routes only. */
  buckets: number[];
  requests: number;
  clientErrors: number;
  serverErrors: number;
  refresh: Record<RefreshOutcome, number>;
  gauges: Gauges;
}

export interface TrafficSummary {
  windowSeconds: number;
  requests: number;
  latencyP50Seconds: number | null;
  latencyP95Seconds: number | null;
  clientErrorRatio: number | null;
  serverErrorRatio: number | null;
  refreshAttempts: number;
  /** Share of refresh attempts that presented a token of a revoked or reused session. */
  revokeHitRate: number | null;
}

/** The window of the admin console's traffic summary. */
export const SUMMARY_WINDOW_MS = 15 * 60_000;
/** How far back the admin console's charts can look. */
export const HISTORY_WINDOW_MS = 60 * 60_000;

/** Probes and scrapes say nothing about what users experience. */
const isUserRoute = (route: string | number | undefined) =>
  typeof route === "string" && (route.startsWith("/v1/") || route.startsWith("/trpc/"));

/**
 * The estimate Prometheus' histogram_quantile makes: linear interpolation inside the bucket
 * holding the q-th observation. `counts` are cumulative, one per bound plus +Inf.
 */
export function histogramQuantile(q: number, bounds: number[], counts: number[]): number | null {
  const total = counts.at(-1) ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    const count = counts[i] ?? 0;
    if (count >= rank) {
      const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0);
      const below = i === 0 ? 0 : (counts[i - 1] ?? 0);
      const inBucket = count - below;
      const upper = bounds[i] ?? lower;
      return inBucket === 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket;
    }
  }
  return bounds.at(-1) ?? null;
}

/**
 * Keeps periodic snapshots of this process's counters so rates over a recent window can be
 * computed without Prometheus: for the admin console's summary and the in-process alerts.
 */
export class MetricsWindow {
  private readonly snapshots: Snapshot[] = [];
  private timer: NodeJS.Timeout | null = null;
  private gaugeSampler: (() => Promise<Gauges>) | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly keepMs = SUMMARY_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Samples these figures with every snapshot; a failed sample records nulls, not an error. */
  sampleGauges(sampler: () => Promise<Gauges>): void {
    this.gaugeSampler = sampler;
  }

  private async gauges(): Promise<Gauges> {
    return this.gaugeSampler ? this.gaugeSampler().catch(() => ({})) : {};
  }

  async read(withGauges = false): Promise<Snapshot> {
    const [duration, requests, refresh] = await Promise.all([
      this.metrics.httpDuration.get(),
      this.metrics.httpRequests.get(),
      this.metrics.refresh.get(),
    ]);
    const bounds = [...HTTP_BUCKETS.map(String), "+Inf"];
    const buckets = bounds.map(() => 0);
    for (const value of duration.values) {
      if (!value.metricName?.endsWith("_bucket") || !isUserRoute(value.labels.route)) continue;
      const labels = value.labels as Record<string, string | number | undefined>;
      const index = bounds.indexOf(String(labels.le));
      if (index >= 0) buckets[index] = (buckets[index] ?? 0) + value.value;
    }
    let total = 0;
    let clientErrors = 0;
    let serverErrors = 0;
    for (const value of requests.values) {
      if (!isUserRoute(value.labels.route)) continue;
      total += value.value;
      const status = Number(value.labels.status);
      if (status >= 500) serverErrors += value.value;
      else if (status >= 400) clientErrors += value.value;
    }
    const outcomes = Object.fromEntries(REFRESH_OUTCOMES.map((o) => [o, 0])) as Record<
      RefreshOutcome,
      number
    >;
    for (const value of refresh.values) {
      const outcome = value.labels.outcome as RefreshOutcome;
      if (outcome in outcomes) outcomes[outcome] += value.value;
    }
    return {
      at: this.now(),
      buckets,
      requests: total,
      clientErrors,
      serverErrors,
      refresh: outcomes,
      gauges: withGauges ? await this.gauges() : {},
    };
  }

  /** Records a snapshot and forgets those older than needed. */
  async tick(): Promise<void> {
    this.snapshots.push(await this.read(true));
    const cutoff = this.now() - this.keepMs;
    // Keep the newest snapshot at or before the cutoff: it is the start of the longest window.
    while (this.snapshots.length > 1 && (this.snapshots[1]?.at ?? Infinity) <= cutoff) {
      this.snapshots.shift();
    }
  }

  start(intervalMs = 15_000): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Traffic over the last `windowMs` (or since the oldest snapshot, if younger). */
  async summary(windowMs = this.keepMs): Promise<TrafficSummary> {
    const current = await this.read();
    const since = current.at - windowMs;
    const base =
      [...this.snapshots].reverse().find((snapshot) => snapshot.at <= since) ??
      this.snapshots[0] ??
      null;
    return trafficBetween(base, current);
  }

  /**
   * The recorded snapshots of the last `windowMs` (starting with the last one before it, the
   * base of the first interval) plus one taken now, oldest first.
   */
  async recent(windowMs: number): Promise<Snapshot[]> {
    const current = await this.read(true);
    const since = current.at - windowMs;
    const first = Math.max(0, this.snapshots.findIndex((snapshot) => snapshot.at > since) - 1);
    const inWindow = this.snapshots.some((snapshot) => snapshot.at > since)
      ? this.snapshots.slice(first)
      : this.snapshots.slice(-1);
    return [...inWindow, current];
  }
}

/** Traffic between two snapshots (from process start when `base` is null). */
export function trafficBetween(base: Snapshot | null, current: Snapshot): TrafficSummary {
  const minus = (a: number, b: number | undefined) => Math.max(0, a - (b ?? 0));
  const requests = minus(current.requests, base?.requests);
  const counts = current.buckets.map((count, i) => minus(count, base?.buckets[i]));
  const refresh = REFRESH_OUTCOMES.map((o) => minus(current.refresh[o], base?.refresh[o]));
  const refreshAttempts = refresh.reduce((sum, n) => sum + n, 0);
  const revokeHits =
    minus(current.refresh.revoked, base?.refresh.revoked) +
    minus(current.refresh.reuse_detected, base?.refresh.reuse_detected);
  const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
  return {
    windowSeconds: Math.round((current.at - (base?.at ?? current.at)) / 1000),
    requests,
    latencyP50Seconds: histogramQuantile(0.5, HTTP_BUCKETS, counts),
    latencyP95Seconds: histogramQuantile(0.95, HTTP_BUCKETS, counts),
    clientErrorRatio: ratio(minus(current.clientErrors, base?.clientErrors), requests),
    serverErrorRatio: ratio(minus(current.serverErrors, base?.serverErrors), requests),
    refreshAttempts,
    revokeHitRate: ratio(revokeHits, refreshAttempts),
  };
}
