import type { Server } from "node:http";
import { Redis } from "ioredis";

import type { Config } from "@runway/config";
import type { Core } from "@runway/core";
import type { DatabaseHandle } from "@runway/db";
import type { Logger, Notifier } from "@runway/observability";
import type { ImportQueue } from "@runway/queue";
import { RateLimits } from "@runway/api";
import { loadConfig } from "@runway/config";
import {
  backfillEmailHashes,
  coreFromConfig,
  countDeadLetters,
  countDeadLettersSince,
  ensureAdmin,
  importTimeP95,
  limitPasswordHashing,
} from "@runway/core";
import { createDatabase } from "@runway/db";
import {
  Alerter,
  createErrorTracker,
  createLogger,
  createMetrics,
  HISTORY_WINDOW_MS,
  MetricsWindow,
  pagerDutyNotifier,
  runwayAlertRules,
  slackNotifier,
  startMetricsServer,
  SUMMARY_WINDOW_MS,
} from "@runway/observability";

import { createApp } from "./app";
import { checkReadiness } from "./health";
import { answerClientError } from "./http/client-errors";
import { expressServer } from "./http/express-server";
import { newLocalAdminToken, publishLocalAdmin } from "./http/local-admin";
import { startJobs } from "./jobs";

export interface RunningServer {
  url: string;
  server: Server;
  core: Core;
  database: DatabaseHandle;
  queue: ImportQueue;
  /** The separate metrics listener, when METRICS_PORT is set. */
  metricsUrl: string | null;
  alerter: Alerter | null;
  stop(): Promise<void>;
}

/**
 * Boots the API: database (migrated when configured), first admin, revocation sync, HTTP.
 * Tests call this with their own config; main.ts with the environment's.
 */
export async function startServer(
  config: Config = loadConfig(),
  options: { logger?: Logger; now?: () => Date } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ service: "api", level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);

  const metrics = createMetrics("api", config.observability.track);
  const errors = await createErrorTracker(config.observability.sentry, "api");
  const database = await createDatabase(config.database);
  if (config.migrateOnStart) await database.migrate();
  limitPasswordHashing({
    threads: config.http.shedding.hashThreads,
    maxQueued: config.http.shedding.maxPasswordQueue,
    retryAfterSeconds: config.http.shedding.retryAfterSeconds,
  });
  const core = coreFromConfig(database.db, config, options.now, {
    refresh: (outcome) => {
      metrics.refresh.inc({ outcome });
    },
  });
  await backfillEmailHashes(core).catch((error: unknown) => {
    logger.warn("email hash backfill skipped", { error });
  });
  if (config.firstAdmin) {
    const { created } = await ensureAdmin(
      core,
      config.firstAdmin.email,
      config.firstAdmin.password,
    );
    logger.info(created ? "first admin created" : "first admin already present");
  }
  const syncFailed = (error: unknown) => {
    logger.warn("revocation sync failed", { error });
  };
  // Not fatal: before migrations run, /readyz says so and the periodic sync catches up.
  await core.revocations.sync().catch(syncFailed);
  core.revocations.start(config.auth.revocationSyncIntervalMs, syncFailed);

  const jobs = startJobs(config, core, { logger, metrics, errors });
  // Fails fast while Redis is down, so the in-memory insurance limiter answers at once.
  const limiterRedis = config.jobs.redisUrl
    ? new Redis(config.jobs.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
      })
    : null;
  limiterRedis?.on("error", () => undefined);
  const limits = new RateLimits(config.rateLimits, limiterRedis, (limit) => {
    metrics.rateLimited.inc({ limit });
  });
  const readiness = () => checkReadiness(database, jobs.queue);
  metrics.observeQueue(async () => ({
    counts: await jobs.queue.counts(),
    deadLetters: await countDeadLetters(core),
  }));
  metrics.observeDependency("database", () => database.checkReady().then(() => true));
  if (jobs.queue.backend === "bullmq")
    metrics.observeDependency("redis", () => jobs.queue.ping().then(() => true));
  metrics.observeRateLimitFallback(() => limits.fallbackActive());
  const alerts = config.observability.alerts;
  // Long enough for the admin charts (1 h), the summary (15 min) and the alert window.
  const window = new MetricsWindow(
    metrics,
    Math.max(HISTORY_WINDOW_MS, SUMMARY_WINDOW_MS, alerts.windowSeconds * 1000),
  );
  window.sampleGauges(async () => {
    const [counts, deadLetters, jobTimeP95Seconds] = await Promise.all([
      jobs.queue.counts(),
      countDeadLetters(core),
      importTimeP95(core),
    ]);
    return {
      queueDepth: counts.waiting + counts.delayed + counts.active,
      oldestWaitingAgeSeconds: counts.oldestWaitingAgeSeconds,
      deadLetters,
      jobTimeP95Seconds,
    };
  });
  window.start(config.observability.metricsSampleIntervalMs);

  // With REDIS_URL the API runs as replicas, and each would page on its own: there, alerting is
  // Prometheus and Alertmanager (infra/alertmanager). The hooks serve the single process.
  const hooksWanted = alerts.slackWebhookUrl !== null || alerts.pagerduty !== null;
  if (hooksWanted && config.jobs.redisUrl)
    logger.warn("alert hooks are off with REDIS_URL: Prometheus and Alertmanager alert there");
  const notifiers: Notifier[] = config.jobs.redisUrl
    ? []
    : [
        ...(alerts.slackWebhookUrl ? [slackNotifier(alerts.slackWebhookUrl)] : []),
        ...(alerts.pagerduty
          ? [pagerDutyNotifier(alerts.pagerduty.routingKey, alerts.pagerduty.eventsUrl)]
          : []),
      ];
  const alerter =
    notifiers.length > 0
      ? new Alerter(
          runwayAlertRules(alerts, {
            window,
            oldestWaitingAgeSeconds: async () =>
              (await jobs.queue.counts()).oldestWaitingAgeSeconds,
            newDeadLetters: (seconds) => countDeadLettersSince(core, seconds),
            readiness,
          }),
          notifiers,
          logger,
          `runway-api@${config.http.host}:${String(config.http.port)}`,
        )
      : null;
  alerter?.start(alerts.intervalMs);

  const localAdminToken = config.database.kind === "pglite" ? newLocalAdminToken() : null;
  const deps = { config, core, limits, logger, metrics, window, errors, readiness };
  const app = createApp({ ...deps, localAdminToken, queue: jobs.queue });
  // Headers are capped at 16 KiB in all (431 beyond), bodies by BODY_LIMIT_BYTES.
  const server = expressServer(app, { maxHeaderSize: 16 * 1024 });
  server.on("clientError", answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.http.port, config.http.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.http.port;
  const url = `http://${config.http.host.includes(":") ? `[${config.http.host}]` : config.http.host}:${port}`;
  const unpublish = localAdminToken
    ? publishLocalAdmin(config.dataDir, url, localAdminToken)
    : () => undefined;
  const metricsServer =
    config.observability.metricsPort === null
      ? null
      : await startMetricsServer({
          host: config.observability.metricsHost,
          port: config.observability.metricsPort,
          registry: metrics.registry,
          token: config.observability.metricsToken,
        });
  logger.info("api listening", {
    url,
    database: database.kind,
    metrics: metricsServer
      ? `${metricsServer.url}/metrics`
      : config.observability.metricsToken
        ? `${url}/metrics (bearer token)`
        : "off (set METRICS_TOKEN or METRICS_PORT)",
    errorTracking: errors.enabled,
    alerts: notifiers.map((n) => n.name),
  });

  return {
    url,
    server,
    core,
    database,
    queue: jobs.queue,
    metricsUrl: metricsServer?.url ?? null,
    alerter,
    async stop() {
      unpublish();
      core.revocations.stop();
      window.stop();
      await alerter?.stop();
      await metricsServer?.close();
      await jobs.close();
      limiterRedis?.disconnect();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeIdleConnections();
      });
      await database.close();
      await errors.flush();
    },
  };
}

export type { Config };
