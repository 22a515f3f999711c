import { parseArgs } from "node:util";

import { ConfigError, loadConfig } from "@runway/config";

import { restoreDatabase, RestoreRefused } from "./backup/restore";
import { progress } from "./backup/tools";
import { failureLine } from "./cli-failure";

/**
 * `pnpm db:restore <manifest.json> [--force] [--role ROLE] [--jobs N]`: restores the archive
 * next to the manifest into DATABASE_URL, which must be an empty database unless --force, then
 * verifies per-table row counts, content checksums and the migration level. Exit 0 when all
 * match, 1 when something differs or the restore fails, 2 on bad usage or a refusal.
 */
try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      force: { type: "boolean", default: false },
      role: { type: "string" },
      jobs: { type: "string", default: "2" },
    },
  });
  const [manifestPath] = positionals;
  const config = loadConfig();
  if (!manifestPath || config.database.kind !== "postgres") {
    console.error(
      "usage: DATABASE_URL=... pnpm db:restore <manifest.json> [--force] [--role ROLE]",
    );
    process.exit(2);
  }
  const result = await restoreDatabase(config.database.url, manifestPath, progress("db:restore"), {
    force: values.force,
    ...(values.role ? { role: values.role } : {}),
    jobs: Number(values.jobs),
  });
  for (const line of result.comparison.passed) console.log(`ok    ${line}`);
  for (const line of result.comparison.failed) console.log(`FAIL  ${line}`);
  console.log(
    `restored ${String(result.rows)} rows in ${String(result.restoreMs)} ms, verified in ${String(result.verifyMs)} ms`,
  );
  console.log(
    `db:restore: ${String(result.comparison.passed.length)} passed, ${String(result.comparison.failed.length)} failed`,
  );
  process.exitCode = result.comparison.failed.length === 0 ? 0 : 1;
} catch (error) {
  console.error(
    failureLine("db:restore", error, error instanceof RestoreRefused ? "refused" : "failed"),
  );
  process.exitCode = error instanceof RestoreRefused || error instanceof ConfigError ? 2 : 1;
}
