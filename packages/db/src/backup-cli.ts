import path from "node:path";
import { parseArgs } from "node:util";

import { loadConfig } from "@runway/config";

import { backupDatabase } from "./backup/backup";
import { progress } from "./backup/tools";
import { failureLine } from "./cli-failure";

/**
 * `pnpm db:backup [--out DIR]`: a pg_dump -Fc archive of DATABASE_URL and its manifest
 * (SHA-256, per-table row counts and content checksums, migration level), both read at one
 * snapshot. Default folder: backups/ (git-ignored).
 */
try {
  const { values } = parseArgs({ options: { out: { type: "string", default: "backups" } } });
  const config = loadConfig();
  if (config.database.kind !== "postgres") {
    console.error("DATABASE_URL is required: db:backup dumps a PostgreSQL database");
    process.exit(2);
  }
  const log = progress("db:backup");
  const { manifest, manifestPath, archivePath } = await backupDatabase(
    config.database.url,
    path.resolve(values.out),
    log,
  );
  const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
  console.log(
    [
      `archive   ${archivePath} (${String(manifest.archive.bytes)} bytes, sha256 ${manifest.archive.sha256.slice(0, 16)}...)`,
      `manifest  ${manifestPath}`,
      `snapshot  ${manifest.snapshotAt}, ${String(manifest.tables.length)} tables, ${String(rows)} rows, ${String(manifest.migrations.applied)} migrations`,
      `took      ${String(manifest.durationMs)} ms`,
    ].join("\n"),
  );
} catch (error) {
  console.error(failureLine("db:backup", error));
  process.exitCode = 1;
}
