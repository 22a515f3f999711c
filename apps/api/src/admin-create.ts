import { createInterface } from "node:readline/promises";

import { ConfigError, loadConfig } from "@runway/config";
import { AppError, createCore, ensureAdmin } from "@runway/core";
import { createDatabase } from "@runway/db";

/**
 * `pnpm admin:create [email]`: creates the first admin (or grants admin to an existing user).
 * The password is read from FIRST_ADMIN_PASSWORD or asked for, never taken from argv.
 */
try {
  const config = loadConfig();
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const email = process.argv[2] ?? config.firstAdmin?.email ?? (await rl.question("Admin email: "));
  const password =
    config.firstAdmin?.password ?? (await rl.question("Admin password (12+ characters): "));
  rl.close();
  const database = await createDatabase(config.database);
  if (config.migrateOnStart) await database.migrate();
  const core = createCore({ db: database.db, auth: config.auth });
  const { created } = await ensureAdmin(core, email, password);
  await database.close();
  console.log(created ? "Admin account created." : "Existing account granted the admin role.");
} catch (error) {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else if (error instanceof AppError) console.error(error.message);
  else console.error(error);
  process.exitCode = 1;
}
