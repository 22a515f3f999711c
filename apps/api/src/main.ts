import { loadConfig, loadOrExit } from "@runway/config";
import { createLogger, runService } from "@runway/observability";

import { startServer } from "./server";

/** `pnpm start`: the API on whatever the environment configures (the embedded default without any). */
const config = loadOrExit(() => loadConfig());
const logger = createLogger({ service: "api", level: config.logLevel });
await runService(logger, () => startServer(config, { logger }), { forceExitMs: 10_000 });
