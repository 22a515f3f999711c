import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";

import type { Comparison, Manifest } from "./manifest";
import { sha256File } from "./backup";
import { compareWithManifest, migrationLevel, tableStats } from "./manifest";
import { libpqEnv, pgBin, runTool } from "./tools";

export interface RestoreOptions {
  /** Restore over existing tables (pg_restore --clean) instead of refusing. */
  force?: boolean;
  /** Objects are created as this role (pg_restore --role), e.g. the migration owner. */
  role?: string;
  jobs?: number;
}

export interface RestoreResult {
  comparison: Comparison;
  restoreMs: number;
  verifyMs: number;
  rows: number;
}

export class RestoreRefused extends Error {}

export function readManifest(manifestPath: string): Manifest {
  return JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
}

/** Tables in the target, other than nothing: a restore over them must be asked for. */
async function existingTables(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`;
    return row?.n ?? 0;
  } finally {
    await sql.end();
  }
}

/**
 * Checks the archive against the manifest's SHA-256, restores it with pg_restore into `url`
 * (which must be empty unless `force`), then proves the restored tables have the manifest's
 * row counts, content checksums and migration level.
 */
export async function restoreDatabase(
  url: string,
  manifestPath: string,
  log: (message: string) => void,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const manifest = readManifest(manifestPath);
  const archivePath = path.join(path.dirname(manifestPath), manifest.archive.file);
  const sha256 = await sha256File(archivePath);
  if (sha256 !== manifest.archive.sha256)
    throw new RestoreRefused(`${manifest.archive.file}: SHA-256 differs from the manifest`);
  const existing = await existingTables(url);
  if (existing > 0 && !options.force)
    throw new RestoreRefused(
      `the target database has ${String(existing)} tables; restore into an empty database, or pass --force to replace them`,
    );
  const started = performance.now();
  log(`restoring ${manifest.archive.file} (${String(manifest.archive.bytes)} bytes)`);
  await runTool(
    pgBin("pg_restore"),
    [
      "--exit-on-error",
      "--no-owner",
      "--no-privileges",
      "--verbose",
      `--jobs=${String(options.jobs ?? 2)}`,
      ...(options.role ? [`--role=${options.role}`] : []),
      ...(existing > 0 ? ["--clean", "--if-exists"] : []),
      `--dbname=${libpqEnv(url).PGDATABASE ?? ""}`,
      archivePath,
    ],
    {
      env: libpqEnv(url),
      onLine: (line) => {
        const table = /processing data for table "(.+)"/.exec(line);
        if (table?.[1]) log(`restored ${table[1]}`);
      },
    },
  );
  const restoreMs = performance.now() - started;
  log("verifying row counts, checksums and migration level against the manifest");
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await sql`analyze`;
    const comparison = compareWithManifest(
      manifest,
      await tableStats(sql),
      await migrationLevel(sql),
    );
    return {
      comparison,
      restoreMs: Math.round(restoreMs),
      verifyMs: Math.round(performance.now() - started - restoreMs),
      rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
    };
  } finally {
    await sql.end();
  }
}
