import { ConfigError, loadConfig } from "@runway/config";

import { createDatabase } from "./client";

/** `pnpm db:migrate`: applies the committed migrations to DATABASE_URL (or the embedded database). */
try {
  const config = loadConfig();
  const handle = await createDatabase(config.database);
  await handle.migrate();
  await handle.checkReady();
  await handle.close();
  console.log(`migrations applied (${config.database.kind})`);
} catch (error) {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exitCode = 1;
}
