import { describe, expect, it } from "vitest";

import { samplesOf } from "./fixtures.test-util";
import { percentile, summarize } from "./stats";
import { evaluate } from "./thresholds";

const READ = 0;
const AUTH = 1;

describe("summaries", () => {
  it("takes nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([], 95)).toBe(0);
  });

  it("counts timeouts and 5xx as errors but a shed 503 apart, and 429 apart", () => {
    const s = summarize([
      ...samplesOf(90, READ, 200, 10),
      ...samplesOf(4, READ, 503, 2),
      ...samplesOf(3, READ, 429, 2),
      ...samplesOf(2, READ, 0, 20_000),
      ...samplesOf(1, READ, 500, 5),
    ]);
    expect(s.requests).toBe(100);
    expect(s.errorRate).toBeCloseTo(0.03);
    expect(s.shedRate).toBeCloseTo(0.04);
    expect(s.rate429).toBeCloseTo(0.03);
    expect(s.timeoutRate).toBeCloseTo(0.02);
    // Timeouts have no latency of their own: they are not in the percentiles.
    expect(s.byClass.read?.count).toBe(98);
  });
});

describe("threshold verdicts", () => {
  const thresholds = {
    p95Ms: { read: 300, auth: 500 },
    p99Ms: { read: 1000 },
    maxErrorRate: 0.01,
    max429Share: 0.05,
    maxSessionFailShare: 0.1,
    importsReconcile: true,
  };

  it("passes a run within every limit", () => {
    const summary = summarize([...samplesOf(100, READ, 200, 50), ...samplesOf(20, AUTH, 200, 200)]);
    const verdicts = evaluate(thresholds, summary, {
      sessions: { completed: 10, failed: 0 },
      imports: { accepted: 5, completed: 5, missing: 0 },
    });
    expect(verdicts.map((v) => v.name)).toEqual([
      "read p95",
      "read p99",
      "auth p95",
      "error rate (5xx but shed 503, timeouts)",
      "429 share",
      "failed sessions",
      "accepted imports completed (PostgreSQL)",
    ]);
    expect(verdicts.every((v) => v.pass)).toBe(true);
  });

  it("fails the class whose p95 is over, the error rate, and an import that did not complete", () => {
    const summary = summarize([
      ...samplesOf(90, READ, 200, 50),
      ...samplesOf(10, READ, 200, 400),
      ...samplesOf(20, AUTH, 502, 10),
    ]);
    const verdicts = evaluate(thresholds, summary, {
      sessions: { completed: 8, failed: 2 },
      imports: { accepted: 5, completed: 4, missing: 1 },
    });
    const failed = verdicts.filter((v) => !v.pass).map((v) => v.name);
    expect(failed).toEqual([
      "read p95",
      "error rate (5xx but shed 503, timeouts)",
      "failed sessions",
      "accepted imports completed (PostgreSQL)",
    ]);
    expect(verdicts.find((v) => v.name === "read p95")?.actual).toBe("400 ms");
  });

  it("fails reconciliation when it could not be checked", () => {
    const verdicts = evaluate(thresholds, summarize(samplesOf(10, READ, 200, 5)), {});
    expect(verdicts.find((v) => v.name.startsWith("accepted imports"))).toMatchObject({
      actual: "not checked",
      pass: false,
    });
  });
});
