import { describe, expect, it, vi } from "vitest";

import { createMetrics, exportedSeriesNames } from "./metrics";
import { histogramQuantile, MetricsWindow } from "./window";

describe("metrics", () => {
  it("labels requests by method, route template and status class, and counts by status", async () => {
    const metrics = createMetrics("api");
    metrics.observeRequest("GET", "/v1/imports/{importId}", 404, 0.012);
    metrics.observeRequest("GET", "/v1/imports/{importId}", 200, 0.02);
    const text = await metrics.registry.metrics();
    const bucket = text
      .split("\n")
      .find(
        (line) =>
          line.startsWith("http_request_duration_seconds_bucket") &&
          line.includes('le="0.025"') &&
          line.includes('status_class="2xx"'),
      );
    expect(bucket).toContain('route="/v1/imports/{importId}"');
    expect(bucket).toMatch(/ 1$/);
    expect(text).toContain(
      'http_requests_total{method="GET",route="/v1/imports/{importId}",status="404",service="api"} 1',
    );
    // Default process metrics are there too.
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("labels every series with the deployment track when one is given", async () => {
    const metrics = createMetrics("api", "canary");
    metrics.observeRequest("POST", "/v1/auth/login", 503, 0.2);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'http_requests_total{method="POST",route="/v1/auth/login",status="503",service="api",track="canary"} 1',
    );
    expect(text).toMatch(/^process_resident_memory_bytes\{service="api",track="canary"\} \d+/m);
  });

  it("reads queue gauges at scrape time, once per scrape", async () => {
    const metrics = createMetrics("worker");
    let reads = 0;
    metrics.observeQueue(() => {
      reads++;
      return Promise.resolve({
        counts: { waiting: 3, active: 1, delayed: 2, failed: 0, oldestWaitingAgeSeconds: 42 },
        deadLetters: 5,
      });
    });
    metrics.observeDependency("redis", () => Promise.reject(new Error("down")));
    const text = await metrics.registry.metrics();
    expect(text).toContain('runway_import_queue_jobs{state="waiting",service="worker"} 3');
    expect(text).toContain('runway_import_queue_oldest_waiting_seconds{service="worker"} 42');
    expect(text).toContain('runway_dead_letters{service="worker"} 5');
    expect(text).toContain('runway_dependency_up{dependency="redis",service="worker"} 0');
    expect(reads).toBe(1);
  });

  it("drops the queue series while the queue cannot be read, rather than keep stale values", async () => {
    const metrics = createMetrics("api");
    let up = true;
    metrics.observeQueue(() =>
      up
        ? Promise.resolve({
            counts: { waiting: 7, active: 0, delayed: 0, failed: 0, oldestWaitingAgeSeconds: 900 },
            deadLetters: 1,
          })
        : Promise.reject(new Error("redis down")),
    );
    expect(await metrics.registry.metrics()).toMatch(
      /^runway_import_queue_oldest_waiting_seconds\{service="api"\} 900$/m,
    );
    up = false;
    // A scrape reuses the queue read of the last 500 ms: move the clock past it.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 600);
    const text = await metrics.registry.metrics().finally(() => vi.useRealTimers());
    expect(text).toMatch(/^runway_import_queue_oldest_waiting_seconds\{service="api"\} NaN$/im);
    expect(text).toMatch(/^runway_dead_letters\{service="api"\} NaN$/im);
    expect(text).not.toMatch(/^runway_import_queue_jobs\{/m);
  });

  it("lists the series names PromQL can query, histograms expanded", async () => {
    const names = await exportedSeriesNames(createMetrics("api").registry);
    for (const name of [
      "http_request_duration_seconds_bucket",
      "http_request_duration_seconds_count",
      "http_requests_total",
      "runway_import_job_duration_seconds_bucket",
      "runway_auth_refresh_total",
      "runway_rate_limit_rejections_total",
      "runway_rate_limit_fallback_active",
    ]) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain("http_request_duration_seconds");
  });
});

describe("histogramQuantile", () => {
  it("interpolates inside the bucket as Prometheus does", () => {
    // 10 observations in (0, 0.1], 10 more in (0.1, 0.2]: the median sits at the 0.1 edge.
    expect(histogramQuantile(0.5, [0.1, 0.2], [10, 20, 20])).toBeCloseTo(0.1);
    expect(histogramQuantile(0.75, [0.1, 0.2], [10, 20, 20])).toBeCloseTo(0.15);
    expect(histogramQuantile(0.5, [0.1, 0.2], [0, 0, 0])).toBeNull();
    // Beyond the last bound: the last finite bound, not infinity.
    expect(histogramQuantile(0.99, [0.1, 0.2], [0, 0, 5])).toBe(0.2);
  });
});

describe("MetricsWindow", () => {
  it("summarizes user traffic over the window: latency quantiles, error ratios, revoke hits", async () => {
    let now = 1_000_000;
    const metrics = createMetrics("api");
    const window = new MetricsWindow(metrics, 15 * 60_000, () => now);
    // Before the window starts: must not count.
    for (let i = 0; i < 50; i++) metrics.observeRequest("GET", "/v1/me", 500, 2);
    await window.tick();
    now += 60_000;
    for (let i = 0; i < 90; i++) metrics.observeRequest("GET", "/v1/me", 200, 0.04);
    for (let i = 0; i < 8; i++) metrics.observeRequest("POST", "/v1/auth/login", 401, 0.2);
    for (let i = 0; i < 2; i++) metrics.observeRequest("GET", "/v1/me", 503, 0.9);
    // Probes are not user traffic.
    for (let i = 0; i < 100; i++) metrics.observeRequest("GET", "/healthz", 200, 0.001);
    metrics.refresh.inc({ outcome: "rotated" }, 8);
    metrics.refresh.inc({ outcome: "revoked" }, 1);
    metrics.refresh.inc({ outcome: "reuse_detected" }, 1);

    const summary = await window.summary();
    expect(summary).toMatchObject({
      windowSeconds: 60,
      requests: 100,
      clientErrorRatio: expect.closeTo(0.08) as unknown,
      serverErrorRatio: expect.closeTo(0.02) as unknown,
      refreshAttempts: 10,
      revokeHitRate: expect.closeTo(0.2) as unknown,
    });
    // Interpolated within the bucket that holds the observations.
    expect(summary.latencyP50Seconds).toBeGreaterThan(0.025);
    expect(summary.latencyP50Seconds).toBeLessThanOrEqual(0.05);
    expect(summary.latencyP95Seconds).toBeGreaterThan(0.15);
    expect(summary.latencyP95Seconds).toBeLessThanOrEqual(0.2);
  });
});
