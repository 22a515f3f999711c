import { describe, expect, it } from "vitest";

import type { TrackSample } from "./canary";
import { analyzeCanary, DEFAULT_THRESHOLDS, EXIT_CODES } from "./canary";
import { canaryQueries } from "./prometheus";

const stable: TrackSample = { requests: 10_000, errorRatio: 0.002, p95Seconds: 0.12 };
const healthy: TrackSample = { requests: 1_500, errorRatio: 0.004, p95Seconds: 0.13 };

describe("canary analysis", () => {
  it("promotes a canary within every limit, listing what it checked", () => {
    const result = analyzeCanary(stable, healthy);
    expect(result.decision).toBe("promote");
    expect(result.reasons).toEqual([
      "canary 5xx ratio 0.40% <= 1.20% (stable 0.20% + 1 points)",
      "canary 5xx ratio 0.40% <= 5.00% (alert threshold)",
      "canary p95 130 ms <= 175 ms (stable 120 ms x 1.25 + 25 ms)",
      "canary p95 130 ms <= 500 ms (latency SLO)",
    ]);
    expect(EXIT_CODES[result.decision]).toBe(0);
  });

  it("rolls back above the absolute 5xx threshold even when stable is as bad", () => {
    const bad = { ...stable, errorRatio: 0.06 };
    const result = analyzeCanary(bad, { ...healthy, errorRatio: 0.061 });
    expect(result.decision).toBe("rollback");
    expect(result.reasons).toEqual(["canary 5xx ratio 6.10% > 5.00% (alert threshold)"]);
  });

  it("rolls back on a p95 regression beyond ratio and slack, and over the SLO", () => {
    expect(analyzeCanary(stable, { ...healthy, p95Seconds: 0.176 }).reasons).toEqual([
      "canary p95 176 ms > 175 ms (stable 120 ms x 1.25 + 25 ms)",
    ]);
    expect(analyzeCanary(stable, { ...healthy, p95Seconds: 0.175 }).decision).toBe("promote");
    const slow = analyzeCanary({ ...stable, p95Seconds: 0.45 }, { ...healthy, p95Seconds: 0.52 });
    expect(slow).toEqual({
      decision: "rollback",
      reasons: ["canary p95 520 ms > 500 ms (latency SLO)"],
    });
  });

  it("tolerates small absolute latency differences through the slack", () => {
    const fast = { ...stable, p95Seconds: 0.01 };
    expect(analyzeCanary(fast, { ...healthy, p95Seconds: 0.03 }).decision).toBe("promote");
    expect(analyzeCanary(fast, { ...healthy, p95Seconds: 0.04 }).decision).toBe("rollback");
  });

  it.each([
    {
      when: "a 5xx ratio more than one point above stable",
      canary: { ...healthy, errorRatio: 0.0125 },
      decision: "rollback",
      reason: "canary 5xx ratio 1.25% > 1.20% (stable 0.20% + 1 points)",
      exitCode: 1,
    },
    {
      when: "latency that cannot be measured despite traffic",
      canary: { ...healthy, p95Seconds: null },
      decision: "rollback",
      reason: "p95 latency could not be computed for both tracks",
      exitCode: 1,
    },
    {
      when: "too little canary traffic",
      canary: { ...healthy, requests: 150 },
      decision: "inconclusive",
      reason: "canary served 150 requests, fewer than 200: wait longer",
      exitCode: 2,
    },
  ] as const)(
    "decides $decision on $when, exiting $exitCode",
    ({ canary, decision, reason, exitCode }) => {
      expect(analyzeCanary(stable, canary)).toEqual({ decision, reasons: [reason] });
      expect(EXIT_CODES[decision]).toBe(exitCode);
    },
  );

  it("is inconclusive without traffic on either track, and says which", () => {
    expect(analyzeCanary(stable, undefined)).toEqual({
      decision: "inconclusive",
      reasons: ["no canary traffic in the window (is its track label set?)"],
    });
    expect(analyzeCanary(undefined, healthy).decision).toBe("inconclusive");
  });

  it("honours custom thresholds", () => {
    const strict = { ...DEFAULT_THRESHOLDS, maxErrorRatioIncrease: 0.001 };
    expect(analyzeCanary(stable, healthy, strict).decision).toBe("rollback");
  });

  it("queries user traffic of the API per track over the window", () => {
    const queries = canaryQueries("15m");
    expect(queries.errors).toBe(
      'sum by (track) (increase(http_requests_total{service="api",route=~"/v1/.*|/trpc/.*",status=~"5.."}[15m]))',
    );
    expect(queries.p95).toContain("sum by (le, track) (rate(http_request_duration_seconds_bucket{");
  });
});
