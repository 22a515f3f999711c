import type { ErrorTracker, Logger, Metrics } from "@runway/observability";

import type { ImportConsumer } from "./types";

/**
 * Wraps a consumer's handlers so every attempt is logged with the request id that created the
 * import, timed in the job histogram, and reported to error tracking when it fails for good.
 * The worker and the embedded dispatcher use the same wrapper, so their logs read alike.
 */
export function instrumentConsumer<T extends Pick<ImportConsumer, "handler" | "onExhausted">>(
  consumer: T,
  hooks: { logger: Logger; metrics: Metrics; errors: ErrorTracker },
): T {
  const { logger, metrics, errors } = hooks;
  return {
    ...consumer,
    handler: async (payload, attempt) => {
      const log = logger.child({
        requestId: payload.requestId,
        importId: payload.importId,
        ...(attempt > 0 ? { attempt } : {}),
      });
      const started = performance.now();
      log.info("import processing");
      try {
        await consumer.handler(payload, attempt);
      } catch (error) {
        const seconds = (performance.now() - started) / 1000;
        metrics.observeJobAttempt("failed", seconds);
        log.warn("import attempt failed", { durationMs: Math.round(seconds * 1000), error });
        throw error;
      }
      const seconds = (performance.now() - started) / 1000;
      metrics.observeJobAttempt("completed", seconds);
      log.info("import completed", { durationMs: Math.round(seconds * 1000) });
    },
    onExhausted: async (payload, error) => {
      const context = { requestId: payload.requestId, importId: payload.importId };
      try {
        await consumer.onExhausted(payload, error);
        metrics.observeDeadLetter();
        logger.error("import failed for good; dead letter written", { ...context, error });
      } catch (writeError) {
        // The sweeper settles the import later; the failure is reported either way.
        logger.error("import failed for good; writing the dead letter failed", {
          ...context,
          error,
          writeError,
        });
        throw writeError;
      } finally {
        errors.capture(new Error(`import failed for good: ${error}`), {
          requestId: payload.requestId,
          tags: { importId: payload.importId },
        });
      }
    },
  };
}
