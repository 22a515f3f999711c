import { ConfigError, loadConfig, loadOrExit } from "@runway/config";
import { createLogger, runService } from "@runway/observability";

import { startWorker } from "./worker";

/** `pnpm start:worker`: one worker replica; run as many as the queue needs. */
const config = loadOrExit(() => {
  const loaded = loadConfig();
  if (!loaded.jobs.redisUrl)
    throw new ConfigError("REDIS_URL is missing (the worker consumes BullMQ jobs)");
  return loaded;
});
const logger = createLogger({ service: "worker", level: config.logLevel });
// Whatever hangs, the process ends shortly after the grace period for in-flight jobs.
await runService(logger, () => startWorker(config, logger), {
  forceExitMs: config.jobs.shutdownGraceMs + 10_000,
});
