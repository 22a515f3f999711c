export { createCapturingLogger, createLogger, scrub, scrubText, type Logger } from "./logger";
export { runService, type StoppableService } from "./process";
export * from "./metrics";
export { serveMetrics, startMetricsServer } from "./metrics-server";
export {
  HISTORY_WINDOW_MS,
  histogramQuantile,
  MetricsWindow,
  SUMMARY_WINDOW_MS,
  type TrafficSummary,
} from "./window";
export { historyPoints, metricsHistory, type HistoryPoint } from "./history";
export * from "./error-tracking";
export * from "./alerts";
export * from "./alert-rules";
