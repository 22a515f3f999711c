import { createHash } from "node:crypto";
import { createReadStream, mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";

import type { Manifest } from "./manifest";
import { migrationLevel, tableStats } from "./manifest";
import { libpqEnv, pgBin, runTool } from "./tools";

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export interface BackupResult {
  manifest: Manifest;
  manifestPath: string;
  archivePath: string;
}

/**
 * `pg_dump -Fc` of the database at one exported snapshot, while the row counts, content
 * checksums and migration level for the manifest are read in the same snapshot: the manifest
 * describes exactly what the archive holds, however busy the database is meanwhile.
 */
export async function backupDatabase(
  url: string,
  outDir: string,
  log: (message: string) => void,
): Promise<BackupResult> {
  const started = performance.now();
  mkdirSync(outDir, { recursive: true });
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const base = `${database}-${stamp}`;
  const archivePath = path.join(outDir, `${base}.dump`);
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const manifest = await sql.begin("isolation level repeatable read read only", async (tx) => {
      const [snap] = await tx<{ id: string; at: Date; version: string }[]>`
        select pg_export_snapshot() as id, clock_timestamp() as at,
               current_setting('server_version') as version`;
      if (!snap) throw new Error("could not export a snapshot");
      log(`snapshot ${snap.id} at ${snap.at.toISOString()}; pg_dump -Fc running`);
      const dump = runTool(
        pgBin("pg_dump"),
        ["-Fc", "--verbose", `--snapshot=${snap.id}`, "--file", archivePath],
        {
          env: libpqEnv(url),
          onLine: (line) => {
            const table = /dumping contents of table "(.+)"/.exec(line);
            if (table?.[1]) log(`dumped ${table[1]}`);
          },
        },
      );
      dump.catch(() => undefined);
      // Counting and checksumming in the same snapshot, while pg_dump reads.
      const [tables, migrations] = await Promise.all([tableStats(tx), migrationLevel(tx)]);
      await dump;
      const bytes = statSync(archivePath).size;
      log(`archive ${String(bytes)} bytes; checksumming`);
      return {
        format: 1 as const,
        createdAt: new Date().toISOString(),
        snapshotAt: snap.at.toISOString(),
        serverVersion: snap.version,
        database,
        archive: { file: path.basename(archivePath), bytes, sha256: await sha256File(archivePath) },
        migrations,
        tables,
        durationMs: Math.round(performance.now() - started),
      };
    });
    const manifestPath = path.join(outDir, `${base}.manifest.json`);
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    return { manifest, manifestPath, archivePath };
  } finally {
    await sql.end();
  }
}
