import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Request latency buckets: dense around 10 ms - 1 s, so p50 and p95 interpolate well. */
export const HTTP_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2.5, 5, 10,
];
/** Import job buckets: a small import takes tens of ms, 10,000 items a few seconds. */
export const JOB_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export const REFRESH_OUTCOMES = [
  "rotated",
  "replayed",
  "reuse_detected",
  "revoked",
  "expired",
  "invalid",
] as const;
export type RefreshOutcome = (typeof REFRESH_OUTCOMES)[number];

/** Attempts end completed or failed; an import whose attempts are spent is dead-lettered. */
export const JOB_OUTCOMES = ["completed", "failed", "dead_lettered"] as const;
export type AttemptOutcome = "completed" | "failed";

export const QUEUE_STATES = ["waiting", "active", "delayed", "failed"] as const;

/** What the queue gauges read at scrape time. */
export interface QueueSample {
  counts: Record<(typeof QUEUE_STATES)[number], number> & {
    oldestWaitingAgeSeconds: number | null;
  };
  deadLetters: number;
}

export type Service = "api" | "worker";

/**
 * One registry per process with every Runway metric. Both services register the same set, so
 * dashboards and rules can name any of them; each fills the ones it observes. With a `track`
 * (TRACK: stable, canary) every series carries it, so a canary can be compared with stable.
 */
export function createMetrics(service: Service, track: string | null = null) {
  const registry = new Registry();
  registry.setDefaultLabels(track === null ? { service } : { service, track });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by method, route template and status class",
    labelNames: ["method", "route", "status_class"] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  const httpRequests = counter(
    "http_requests_total",
    "HTTP requests by method, route template and status code",
    ["method", "route", "status"],
  );
  const jobDuration = new Histogram({
    name: "runway_import_job_duration_seconds",
    help: "Duration of one import job attempt, by outcome",
    labelNames: ["outcome"] as const,
    buckets: JOB_BUCKETS,
    registers,
  });
  const jobOutcomes = counter(
    "runway_import_jobs_total",
    "Import job attempts by outcome (completed, failed), and imports dead-lettered",
    ["outcome"],
  );
  const refresh = counter("runway_auth_refresh_total", "Refresh token exchanges by outcome", [
    "outcome",
  ]);
  const rateLimited = counter(
    "runway_rate_limit_rejections_total",
    "Requests refused by a rate limit, by limit",
    ["limit"],
  );
  const matchLookups = counter(
    "runway_contact_match_lookups_total",
    "Imported contacts looked up against registered accounts (account discovery)",
  );
  const deprecatedCalls = counter(
    "runway_deprecated_calls_total",
    "Calls of deprecated API operations (until their sunset), by operationId",
    ["operation"],
  );
  for (const outcome of REFRESH_OUTCOMES) refresh.inc({ outcome }, 0);
  for (const outcome of JOB_OUTCOMES) jobOutcomes.inc({ outcome }, 0);

  let queueSource: (() => Promise<QueueSample>) | null = null;
  let queueSampled: { at: number; sample: Promise<QueueSample | null> } | null = null;
  /** One queue read per scrape, shared by the gauges below. */
  const sampleQueue = (): Promise<QueueSample | null> => {
    if (!queueSource) return Promise.resolve(null);
    const now = Date.now();
    if (!queueSampled || now - queueSampled.at > 500) {
      queueSampled = { at: now, sample: queueSource().catch(() => null) };
    }
    return queueSampled.sample;
  };
  new Gauge({
    name: "runway_import_queue_jobs",
    help: "Import jobs per queue state",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      const sample = await sampleQueue();
      // No answer (Redis or PostgreSQL down): no series (NaN below), never a stale value;
      // runway_dependency_up says why.
      this.reset();
      if (!sample) return;
      for (const state of QUEUE_STATES) this.set({ state }, sample.counts[state]);
    },
  });
  new Gauge({
    name: "runway_import_queue_oldest_waiting_seconds",
    help: "Age of the oldest import waiting to be processed (0 when none waits)",
    registers,
    async collect() {
      const sample = await sampleQueue();
      this.set(sample ? (sample.counts.oldestWaitingAgeSeconds ?? 0) : NaN);
    },
  });
  new Gauge({
    name: "runway_dead_letters",
    help: "Imports that failed for good and wait for an admin (retry or discard)",
    registers,
    async collect() {
      const sample = await sampleQueue();
      this.set(sample ? sample.deadLetters : NaN);
    },
  });

  const dependencyChecks = new Map<string, () => Promise<boolean>>();
  new Gauge({
    name: "runway_dependency_up",
    help: "1 when the dependency answered its readiness check at scrape time",
    labelNames: ["dependency"] as const,
    registers,
    async collect() {
      await Promise.all(
        [...dependencyChecks].map(async ([dependency, check]) => {
          this.set({ dependency }, (await check().catch(() => false)) ? 1 : 0);
        }),
      );
    },
  });
  let fallbackActive: () => boolean = () => false;
  new Gauge({
    name: "runway_rate_limit_fallback_active",
    help: "1 while Redis is unreachable and rate limits run on the in-memory insurance limiter",
    registers,
    collect() {
      this.set(fallbackActive() ? 1 : 0);
    },
  });

  return {
    registry,
    httpDuration,
    httpRequests,
    jobDuration,
    jobOutcomes,
    refresh,
    rateLimited,
    matchLookups,
    deprecatedCalls,
    /** Where the queue gauges read from (the queue's counts and the dead-letter count). */
    observeQueue(source: () => Promise<QueueSample>) {
      queueSource = source;
    },
    observeDependency(name: string, check: () => Promise<boolean>) {
      dependencyChecks.set(name, check);
    },
    observeRateLimitFallback(active: () => boolean) {
      fallbackActive = active;
    },
    observeRequest(method: string, route: string, status: number, seconds: number) {
      httpDuration.observe(
        { method, route, status_class: `${String(Math.floor(status / 100))}xx` },
        seconds,
      );
      httpRequests.inc({ method, route, status: String(status) });
    },
    observeJobAttempt(outcome: AttemptOutcome, seconds: number) {
      jobDuration.observe({ outcome }, seconds);
      jobOutcomes.inc({ outcome });
    },
    /** `operation` is an operationId from the router, never client input: bounded labels. */
    observeDeprecatedCall(operation: string) {
      deprecatedCalls.inc({ operation });
    },
    observeDeadLetter() {
      jobOutcomes.inc({ outcome: "dead_lettered" });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The names a registry exports, as PromQL sees them (histograms add _bucket, _sum, _count). */
export async function exportedSeriesNames(registry: Registry): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await registry.getMetricsAsJSON()) {
    const type = String(metric.type);
    if (type === "histogram") {
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(metric.name + suffix);
    } else if (type === "summary") {
      for (const suffix of ["", "_sum", "_count"]) names.add(metric.name + suffix);
    } else {
      names.add(metric.name);
    }
  }
  return names;
}
