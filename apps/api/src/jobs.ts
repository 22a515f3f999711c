import type { Config } from "@runway/config";
import type { Core } from "@runway/core";
import type { ErrorTracker, Logger, Metrics } from "@runway/observability";
import type { ImportQueue } from "@runway/queue";
import { importJobHandlers, importJobStore, runCleanup } from "@runway/core";
import { createBullImportQueue, createPostgresDispatcher, instrumentConsumer } from "@runway/queue";

/**
 * With REDIS_URL the API only produces BullMQ jobs; `pnpm start:worker` consumes them. Without
 * it (the embedded default) imports are processed here, through the PostgreSQL dispatcher, and
 * the maintenance cleanup runs on a timer in this process.
 */
export function startJobs(
  config: Config,
  core: Core,
  hooks: { logger: Logger; metrics: Metrics; errors: ErrorTracker },
): { queue: ImportQueue; close(): Promise<void> } {
  const { logger } = hooks;
  const policy = { attempts: config.jobs.attempts, backoffMs: config.jobs.backoffMs };
  if (config.jobs.redisUrl) {
    let lastWarning = 0;
    const queue = createBullImportQueue(config.jobs.redisUrl, policy, (error) => {
      // A Redis outage reports on every reconnect attempt; one line every 10 s is enough.
      if (Date.now() - lastWarning > 10_000) {
        lastWarning = Date.now();
        logger.warn("redis unavailable", { error });
      }
    });
    return { queue, close: () => queue.close() };
  }

  const dispatcher = createPostgresDispatcher({
    store: importJobStore(core),
    policy,
    concurrency: config.jobs.concurrency,
    leaseMs: config.jobs.lockMs,
    pollMs: 500,
    ...instrumentConsumer(importJobHandlers(core), hooks),
    onError: (error) => {
      logger.error("embedded dispatcher error", { error });
    },
  });
  dispatcher.start();
  const maintenance = setInterval(() => {
    runCleanup(core).then(
      (result) => {
        logger.info("maintenance cleanup", result);
      },
      (error: unknown) => {
        logger.error("maintenance cleanup failed", { error });
      },
    );
  }, config.jobs.maintenanceIntervalMs);
  maintenance.unref();
  return {
    queue: dispatcher,
    async close() {
      clearInterval(maintenance);
      await dispatcher.close();
    },
  };
}
