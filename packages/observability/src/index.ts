export { createCapturingLogger, createLogger, scrub, scrubText, type Logger } from "./logger";
export * from "./metrics";
export { serveMetrics, startMetricsServer } from "./metrics-server";
export { histogramQuantile, MetricsWindow, SUMMARY_WINDOW_MS, type TrafficSummary } from "./window";
export * from "./error-tracking";
export * from "./alerts";
export * from "./alert-rules";
