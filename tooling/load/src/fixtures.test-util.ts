import type { RunResult } from "./results";
import type { Sample } from "./traffic";
import { summarize } from "./stats";

/** A small run: `samples` as given, one stage over them, no scrapes unless given. */
export function fakeRun(samples: Sample[], overrides: Partial<RunResult> = {}): RunResult {
  const end = Math.max(1000, ...samples.map((s) => s[0] + 1));
  return {
    version: 1,
    scenario: "smoke",
    description: "a test run",
    target: "nowhere",
    startedAt: "2026-12-01T10:00:00.000Z",
    finishedAt: "2026-12-01T10:01:00.000Z",
    machine: {
      cpus: 2,
      model: "test cpu",
      memGb: 4,
      node: "v20",
      loadavgStart: [1, 1, 1],
      loadavgEnd: [2, 2, 2],
    },
    stages: [
      {
        name: "hold",
        rate: 10,
        durationS: end / 1000,
        startMs: 0,
        endMs: end,
        sent: samples.length,
      },
    ],
    samples,
    scrapes: [
      {
        t: 0,
        queueWaiting: 0,
        queueActive: 0,
        oldestWaitS: 0,
        apiCpu: null,
        apiRssMb: 100,
        workerCpu: null,
        workerRssMb: 90,
      },
      {
        t: 2000,
        queueWaiting: 3,
        queueActive: 1,
        oldestWaitS: 1.5,
        apiCpu: 0.4,
        apiRssMb: 120,
        workerCpu: 0.2,
        workerRssMb: 95,
      },
    ],
    sessions: { started: 3, completed: 2, failed: 1, refreshes: 1, retries: 2 },
    failures: { "create 503": 1 },
    imports: {
      accepted: 2,
      completed: 2,
      failed: 0,
      pending: 0,
      missing: 0,
      waitedS: 0,
      source: "postgres",
    },
    summary: summarize(samples),
    thresholds: { p95Ms: { read: 300 }, p99Ms: {}, maxErrorRate: 0.01, max429Share: 0.01 },
    verdicts: [{ name: "read p95", limit: "< 300 ms", actual: "20 ms", pass: true }],
    pass: true,
    ...overrides,
  };
}

/** `n` samples of one class and status, one every `every` ms from `from`, each `latency` ms. */
export function samplesOf(
  n: number,
  cls: number,
  status: number,
  latency: number,
  from = 0,
  every = 10,
): Sample[] {
  return Array.from({ length: n }, (_, i) => [from + i * every, cls, status, latency] as Sample);
}
