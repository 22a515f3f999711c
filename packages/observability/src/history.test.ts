import { describe, expect, it } from "vitest";

import { metricsHistory } from "./history";
import { createMetrics } from "./metrics";
import { MetricsWindow } from "./window";

describe("metricsHistory", () => {
  it("turns snapshots into per-step points with the traffic between them and sampled gauges", async () => {
    let now = 10_000_000;
    let depth = 0;
    const metrics = createMetrics("api");
    const window = new MetricsWindow(metrics, 60 * 60_000, () => now);
    window.sampleGauges(() => Promise.resolve({ queueDepth: depth, deadLetters: null }));
    await window.tick();
    for (let minute = 1; minute <= 20; minute++) {
      now += 60_000;
      depth = minute;
      for (let i = 0; i < minute; i++) metrics.observeRequest("GET", "/v1/me", 200, 0.04);
      if (minute === 20) metrics.observeRequest("GET", "/v1/me", 500, 0.04);
      await window.tick();
    }
    now += 1000;

    const { stepMs, points } = await metricsHistory(window, 15);
    expect(stepMs).toBe(5_000);
    // Snapshots of the last 15 minutes (16 of them, one a minute) plus the live one.
    expect(points).toHaveLength(16);
    const last = points.at(-1);
    expect(last?.traffic.requests).toBe(0);
    const minute20 = points.at(-2);
    expect(minute20?.traffic.requests).toBe(21);
    expect(minute20?.traffic.serverErrorRatio).toBeCloseTo(1 / 21);
    expect(minute20?.gauges).toEqual({ queueDepth: 20, deadLetters: null });
    expect(points[0]?.traffic.requests).toBe(6);
  });

  it("records nulls, not a failure, when the gauge sampler fails", async () => {
    const window = new MetricsWindow(createMetrics("api"));
    window.sampleGauges(() => Promise.reject(new Error("redis down")));
    await window.tick();
    const { points } = await metricsHistory(window, 5);
    expect(points).toHaveLength(1);
    expect(points[0]?.gauges).toEqual({});
  });
});
