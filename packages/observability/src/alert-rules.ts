import type { AlertRule } from "./alerts";
import type { MetricsWindow } from "./window";

export interface AlertThresholds {
  windowSeconds: number;
  errorRatio: number;
  minRequests: number;
  queueAgeSeconds: number;
  readinessFailures: number;
}

export interface AlertProbes {
  window: MetricsWindow;
  oldestWaitingAgeSeconds: () => Promise<number | null>;
  /** Dead letters written in the last `seconds` (discarded ones included). */
  newDeadLetters: (seconds: number) => Promise<number>;
  /** Each dependency's readiness, "ok" or a reason. */
  readiness: () => Promise<Record<string, string>>;
}

/**
 * The four conditions that page: users get 5xx, imports wait too long, imports fail for good,
 * or the service cannot reach its dependencies. Prometheus watches the same four
 * (RunwayHigh5xxRatio, RunwayImportQueueStalled, RunwayDeadLettersGrowing, RunwayNotReady in
 * infra/prometheus/rules.yml) on the same default thresholds; docs/observability.md lists where
 * the windows differ.
 */
export function runwayAlertRules(limits: AlertThresholds, probes: AlertProbes): AlertRule[] {
  const windowMs = limits.windowSeconds * 1000;
  let readinessFailures = 0;

  return [
    {
      name: "high_5xx_ratio",
      severity: "critical",
      summary: `More than ${String(limits.errorRatio * 100)}% of API requests fail with 5xx`,
      async evaluate() {
        const traffic = await probes.window.summary(windowMs);
        const ratio = traffic.serverErrorRatio ?? 0;
        return {
          firing: traffic.requests >= limits.minRequests && ratio > limits.errorRatio,
          details: {
            serverErrorRatio: Number(ratio.toFixed(4)),
            requests: traffic.requests,
            windowSeconds: traffic.windowSeconds,
          },
        };
      },
    },
    {
      name: "import_queue_stalled",
      severity: "critical",
      summary: `An import has waited more than ${String(limits.queueAgeSeconds)} s to be processed`,
      async evaluate() {
        const age = await probes.oldestWaitingAgeSeconds();
        return {
          firing: age !== null && age > limits.queueAgeSeconds,
          details: { oldestWaitingAgeSeconds: age },
        };
      },
    },
    {
      name: "dead_letters_growing",
      severity: "error",
      summary: "Imports are failing for good (dead letters growing)",
      async evaluate() {
        const added = await probes.newDeadLetters(limits.windowSeconds);
        return {
          firing: added > 0,
          details: { newDeadLetters: added, windowSeconds: limits.windowSeconds },
        };
      },
    },
    {
      name: "readiness_failing",
      severity: "critical",
      summary: "The API cannot reach its database or queue",
      async evaluate() {
        const checks = await probes.readiness();
        const failing = Object.entries(checks).filter(([, state]) => state !== "ok");
        readinessFailures = failing.length > 0 ? readinessFailures + 1 : 0;
        return {
          firing: readinessFailures >= limits.readinessFailures,
          details: {
            failing: failing.map(([name]) => name).join(",") || null,
            consecutiveFailures: readinessFailures,
          },
        };
      },
    },
  ];
}
