import { setTimeout as delay } from "node:timers/promises";

import type { Config } from "@runway/config";
import type { Logger } from "@runway/observability";
import {
  coreFromConfig,
  countDeadLetters,
  importJobHandlers,
  runCleanup,
  sweepImports,
} from "@runway/core";
import { createDatabase } from "@runway/db";
import { createErrorTracker, createMetrics, startMetricsServer } from "@runway/observability";
import {
  createBullImportQueue,
  instrumentConsumer,
  startBullSchedules,
  startBullWorker,
} from "@runway/queue";

export interface RunningImportWorker {
  /** Where /metrics and /healthz are served. */
  metricsUrl: string;
  /** Stops taking jobs and shuts down within the grace period. */
  stop(): Promise<void>;
}

/**
 * The import worker: BullMQ consumer, sweeper (re-dispatches imports no queue holds) and the
 * maintenance schedule. PostgreSQL stays the source of truth for every import's state.
 */
export async function startWorker(config: Config, logger: Logger): Promise<RunningImportWorker> {
  const redisUrl = config.jobs.redisUrl;
  if (!redisUrl) throw new Error("REDIS_URL is required for the worker");
  const database = await createDatabase(config.database);
  const core = coreFromConfig(database.db, config);
  const policy = { attempts: config.jobs.attempts, backoffMs: config.jobs.backoffMs };
  const metrics = createMetrics("worker", config.observability.track);
  const errors = await createErrorTracker(config.observability.sentry, "worker");
  const handlers = importJobHandlers(core);
  const onError = (error: unknown) => {
    logger.warn("worker error", { error });
  };

  const worker = startBullWorker({
    redisUrl,
    concurrency: config.jobs.concurrency,
    lockMs: config.jobs.lockMs,
    policy,
    onError,
    ...instrumentConsumer(handlers, { logger, metrics, errors }),
  });

  // The sweeper inspects and re-adds jobs through a producer connection of its own.
  const producer = createBullImportQueue(redisUrl, policy, onError);
  metrics.observeQueue(async () => ({
    counts: await producer.counts(),
    deadLetters: await countDeadLetters(core),
  }));
  metrics.observeDependency("database", () => database.checkReady().then(() => true));
  metrics.observeDependency("redis", () => producer.ping().then(() => true));
  const metricsServer = await startMetricsServer({
    host: config.observability.metricsHost,
    port: config.observability.workerMetricsPort,
    registry: metrics.registry,
    token: config.observability.metricsToken,
  });
  // Once per interval across all replicas, whichever one fetches the job.
  const schedules = await startBullSchedules({
    redisUrl,
    onError,
    tasks: [
      {
        id: "sweep-imports",
        everyMs: config.jobs.sweepIntervalMs,
        async run(slot) {
          const result = await sweepImports(core, producer, config.jobs.sweepAfterMs);
          logger.debug("scheduled run", { task: "sweep-imports", slot: slot.toISOString() });
          if (result.redispatched + result.failed > 0)
            logger.info("sweeper repaired imports", { ...result });
        },
      },
      {
        id: "maintenance-cleanup",
        everyMs: config.jobs.maintenanceIntervalMs,
        async run(slot) {
          const result = await runCleanup(core);
          logger.debug("scheduled run", { task: "maintenance-cleanup", slot: slot.toISOString() });
          logger.info("maintenance cleanup", result);
        },
      },
    ],
  });

  logger.info("worker started", {
    concurrency: config.jobs.concurrency,
    metrics: `${metricsServer.url}/metrics`,
  });
  return {
    metricsUrl: metricsServer.url,
    async stop() {
      await Promise.all([schedules.close(), worker.close(config.jobs.shutdownGraceMs)]);
      // After the jobs, the rest must not hold the process: Redis may be the reason we stop.
      await Promise.race([producer.close(), delay(2000)]);
      await Promise.race([database.close(), delay(5000)]);
      await metricsServer.close();
      await errors.flush();
      logger.info("worker stopped");
    },
  };
}
