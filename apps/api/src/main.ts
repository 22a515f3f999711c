import { ConfigError, loadConfig } from "@runway/config";

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

const running = await startServer(config);
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
