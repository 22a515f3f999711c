import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";

import type { Config } from "@runway/config";
import { ConfigError, loadConfig } from "@runway/config";
import { AppError, coreFromConfig, ensureAdmin } from "@runway/core";
import { createDatabase } from "@runway/db";

import { localAdminFile } from "./http/local-admin";

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

/** The embedded database belongs to a running `pnpm start`: ask it. Null when none runs. */
async function throughRunningServer(
  dataDir: string,
  email: string,
  password: string,
): Promise<boolean | null> {
  const file = localAdminFile(dataDir);
  if (!existsSync(file)) return null;
  const { url, token } = JSON.parse(readFileSync(file, "utf8")) as { url: string; token: string };
  const res = await fetch(`${url}/internal/admin-create`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  }).catch(() => null);
  if (!res) return null; // a stale file from a server that is gone
  const body = (await res.json()) as { created?: boolean; message?: string };
  if (!res.ok) throw new AppError("VALIDATION_FAILED", body.message ?? `HTTP ${res.status}`);
  return body.created === true;
}

async function directly(config: Config, email: string, password: string): Promise<boolean> {
  const database = await createDatabase(config.database);
  try {
    if (config.migrateOnStart) await database.migrate();
    return (await ensureAdmin(coreFromConfig(database.db, config), email, password)).created;
  } finally {
    await database.close();
  }
}

try {
  const config = loadConfig();
  const email = process.argv[2] ?? config.firstAdmin?.email ?? (await ask("Admin email: "));
  const password =
    config.firstAdmin?.password ?? (await ask("Admin password (12+ characters): ", true));
  rl.close();
  const created =
    (await throughRunningServer(config.dataDir, email, password)) ??
    (await directly(config, email, password));
  console.log(created ? "Admin account created." : "Existing account granted the admin role.");
} catch (error) {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else if (error instanceof AppError) console.error(error.message);
  else console.error(error);
  process.exitCode = 1;
}
