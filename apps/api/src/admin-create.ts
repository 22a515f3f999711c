import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";

import { ConfigError, loadConfig } from "@runway/config";
import { AppError, coreFromConfig, ensureAdmin } from "@runway/core";
import { createDatabase } from "@runway/db";

/**
 * `pnpm admin:create [email]`: creates the first admin (or grants admin to an existing user).
 * The password is read from FIRST_ADMIN_PASSWORD or asked for, never taken from argv.
 */
/** Prompts on stderr; while `muted`, typed characters are not echoed (for the password). */
let muted = false;
const output = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    if (!muted) process.stderr.write(chunk);
    callback();
  },
});
const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY });
// Lines are read through the iterator, which buffers them: piped input may arrive all at once.
const lines = rl[Symbol.asyncIterator]();

async function ask(prompt: string, hidden = false): Promise<string> {
  process.stderr.write(prompt);
  muted = hidden;
  const line = await lines.next();
  muted = false;
  if (hidden) process.stderr.write("\n");
  return typeof line.value === "string" ? line.value.trim() : "";
}

try {
  const config = loadConfig();
  const email = process.argv[2] ?? config.firstAdmin?.email ?? (await ask("Admin email: "));
  const password =
    config.firstAdmin?.password ?? (await ask("Admin password (12+ characters): ", true));
  rl.close();
  const database = await createDatabase(config.database);
  if (config.migrateOnStart) await database.migrate();
  const core = coreFromConfig(database.db, config);
  const { created } = await ensureAdmin(core, email, password);
  await database.close();
  console.log(created ? "Admin account created." : "Existing account granted the admin role.");
} catch (error) {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else if (error instanceof AppError) console.error(error.message);
  else console.error(error);
  process.exitCode = 1;
}
