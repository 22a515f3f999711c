import { ConfigError, loadConfig } from "@runway/config";
import { createLogger } from "@runway/observability";

import { startServer } from "./server";

/** `pnpm start`: the API on whatever the environment configures (the embedded default without any). */
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Refusing to start: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger({ service: "api", level: config.logLevel });
// The process still ends as Node decides; this only puts the cause in the JSON logs first.
process.on("uncaughtExceptionMonitor", (error, origin) => {
  logger.error("uncaught exception; exiting", { error, origin });
});
const running = await startServer(config, { logger });
let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.error(`${signal} received, shutting down`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  running.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGTERM", () => {
  shutdown("SIGTERM");
});
process.on("SIGINT", () => {
  shutdown("SIGINT");
});
