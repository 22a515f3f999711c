import { ConfigError, loadConfig } from "@runway/config";
import { createLogger } from "@runway/observability";

import { startWorker } from "./worker";

/** `pnpm start:worker`: one worker replica; run as many as the queue needs. */
let config;
try {
  config = loadConfig();
  if (!config.jobs.redisUrl)
    throw new ConfigError("REDIS_URL is missing (the worker consumes BullMQ jobs)");
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Refusing to start: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger({ service: "worker", level: config.logLevel });
// The process still ends as Node decides; this only puts the cause in the JSON logs first.
process.on("uncaughtExceptionMonitor", (error, origin) => {
  logger.error("uncaught exception; exiting", { error, origin });
});
const running = await startWorker(config, logger);
let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal} received, draining`);
  // Whatever hangs, the process ends shortly after the grace period.
  setTimeout(() => process.exit(1), config.jobs.shutdownGraceMs + 10_000).unref();
  running.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error("shutdown failed", { error });
      process.exit(1);
    },
  );
};
process.on("SIGTERM", () => {
  shutdown("SIGTERM");
});
process.on("SIGINT", () => {
  shutdown("SIGINT");
});
