import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";

import type { RehearsalReport } from "./report";
import type { SeedVolume } from "./seed";
import { createDatabase, migrationsFolder, runMigrations } from "../client";
import { appRoleSql, appSchemaSql, verifyDatabase } from "../verify";
import { backupDatabase } from "./backup";
import { startCluster, superuser } from "./cluster";
import { readManifest, restoreDatabase, RestoreRefused } from "./restore";
import { seedVolume, startWriter } from "./seed";
import { progress } from "./tools";

const OWNER = "runway_owner";
const APP = "runway_app";

function withUser(url: string, user: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  return parsed.toString();
}

/** A database laid out as in production: migrated by the owner, used by the app role. */
async function prepareDatabase(admin: string, url: string, name: string, first: boolean) {
  await superuser(admin, async (sql) => {
    await sql.unsafe(`create database "${name}"`);
    const statements = appRoleSql({ database: name, owner: OWNER, app: APP });
    for (const statement of first
      ? statements
      : statements.filter((s) => !s.startsWith("create role")))
      await sql.unsafe(statement);
  });
  await superuser(url, async (sql) => {
    for (const statement of appSchemaSql({ owner: OWNER, app: APP })) await sql.unsafe(statement);
  });
}

/** A second restore into the now non-empty copy must be refused without --force. */
async function refusesNonEmpty(url: string, manifestPath: string) {
  const outcome = await restoreDatabase(url, manifestPath, () => undefined).then(
    () => "restored over existing tables",
    (error: unknown) => (error instanceof RestoreRefused ? "refused" : String(error)),
  );
  return {
    name: "restore refuses a non-empty database",
    ok: outcome === "refused",
    detail: outcome,
  };
}

/** An archive that does not match its manifest's SHA-256 is refused before anything runs. */
async function refusesTampered(admin: string, manifestPath: string) {
  const tampered = manifestPath.replace(/\.manifest\.json$/, ".tampered.manifest.json");
  const manifest = readManifest(manifestPath);
  writeFileSync(
    tampered,
    JSON.stringify({ ...manifest, archive: { ...manifest.archive, sha256: "0".repeat(64) } }),
  );
  await superuser(admin, (sql) => sql`create database runway_tampered`);
  const outcome = await restoreDatabase(
    admin.replace(/\/postgres$/, "/runway_tampered"),
    tampered,
    () => undefined,
  ).then(
    () => "restored",
    (error: unknown) => (error instanceof RestoreRefused ? error.message : String(error)),
  );
  return {
    name: "restore refuses an archive that differs from its manifest",
    ok: outcome.includes("SHA-256 differs"),
    detail: outcome,
  };
}

/**
 * `pnpm db:rehearse`: seed, back up under a running writer, restore into a fresh database,
 * prove the copy equals the source at the snapshot, run db:verify on it, measure RTO and RPO.
 */
export async function rehearseBackupRestore(volume: SeedVolume): Promise<RehearsalReport> {
  const log = progress("db:rehearse");
  const startedAt = new Date().toISOString();
  const checks: RehearsalReport["checks"] = [];
  const cluster = await startCluster("runway-rehearse-");
  const backups = mkdtempSync(path.join(tmpdir(), "runway-backups-"));
  try {
    log(`cluster on port ${String(cluster.port)}`);
    const admin = cluster.url();
    const source = cluster.url("runway_source");
    const copy = cluster.url("runway_copy");
    await prepareDatabase(admin, source, "runway_source", true);
    await runMigrations(withUser(source, OWNER));
    const seedStarted = performance.now();
    const seeded = await superuser(source, (sql) => seedVolume(sql, volume, log));
    const seedMs = performance.now() - seedStarted;
    log(`seeded ${String(seeded)} rows`);

    const writerSql = postgres(withUser(source, APP), { max: 1, onnotice: () => undefined });
    const [someone] = await writerSql<{ id: string }[]>`select id from users limit 1`;
    const writer = startWriter(writerSql, someone?.id ?? "");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const backup = await backupDatabase(source, backups, log);
    // Traffic goes on after the snapshot; these writes are what a restore from it loses.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const written = await writer.stop();
    await writerSql.end();
    log(`writer committed ${String(written.committed)} imports during the backup window`);

    await prepareDatabase(admin, copy, "runway_copy", false);
    const rtoStarted = performance.now();
    const restored = await restoreDatabase(copy, backup.manifestPath, log, { role: OWNER });
    for (const line of restored.comparison.passed)
      checks.push({ name: "copy equals snapshot", ok: true, detail: line });
    for (const line of restored.comparison.failed)
      checks.push({ name: "copy equals snapshot", ok: false, detail: line });

    const handle = await createDatabase({
      kind: "postgres",
      url: withUser(copy, APP),
      poolSize: 1,
    });
    const verify = await verifyDatabase(handle.db, {
      production: false,
      poolSize: 10,
      apiReplicas: 2,
      workerReplicas: 2,
      migrationsFolder: migrationsFolder(),
    }).finally(() => handle.close());
    const rtoMs = performance.now() - rtoStarted;
    const failedChecks = verify.checks.filter((c) => c.status === "fail");
    checks.push({
      name: "db:verify on the copy",
      ok: failedChecks.length === 0,
      detail:
        failedChecks.length === 0
          ? `${String(verify.checks.length)} checks, none failed (${
              verify.checks
                .filter((c) => c.status === "warn")
                .map((c) => c.name)
                .join(", ") || "no"
            } warnings)`
          : failedChecks.map((c) => `${c.name}: ${c.reason}`).join("; "),
    });

    const writes = await superuser(
      copy,
      (sql) =>
        sql<{ n: number; created_at: Date }[]>`
        select substr(request_id, 3)::int as n, created_at from imports
        where source = 'rehearsal-writer' order by 1`,
    );
    const kept = writes.length;
    const contiguous = writes.every((row, index) => row.n === index + 1);
    const newest = writes.at(-1)?.created_at.getTime() ?? Date.parse(backup.manifest.snapshotAt);
    const lost = written.committed - kept;
    checks.push({
      name: "writer during the backup",
      ok: kept > 0 && lost > 0 && contiguous,
      detail: `${String(kept)} writes before the snapshot restored in order, ${String(lost)} after it absent`,
    });
    const snapshotAt = Date.parse(backup.manifest.snapshotAt);
    checks.push({
      name: "nothing after the snapshot",
      ok: newest <= snapshotAt,
      detail: `newest restored write ${new Date(newest).toISOString()} <= snapshot ${backup.manifest.snapshotAt}`,
    });

    checks.push(await refusesNonEmpty(copy, backup.manifestPath));
    checks.push(await refusesTampered(cluster.url(), backup.manifestPath));

    const archiveMb = backup.manifest.archive.bytes / 1e6;
    const dbBytes = await superuser(source, async (sql) => {
      const [row] = await sql<
        { bytes: string }[]
      >`select pg_database_size(current_database())::text as bytes`;
      return Number(row?.bytes ?? 0);
    });
    const restoreSeconds = restored.restoreMs / 1000;
    return {
      name: "db-rehearse",
      startedAt,
      figures: {
        "rows seeded": seeded,
        "rows in backup": restored.rows,
        "database size (MB)": (dbBytes / 1e6).toFixed(1),
        "archive size (MB)": archiveMb.toFixed(2),
        "archive file": path.basename(backup.archivePath),
        "seed (s)": (seedMs / 1000).toFixed(2),
        "backup (s)": (backup.manifest.durationMs / 1000).toFixed(2),
        "restore (s)": restoreSeconds.toFixed(2),
        "verify vs manifest + db:verify (s)": ((rtoMs - restored.restoreMs) / 1000).toFixed(2),
        "restore rate (rows/s)": Math.round(restored.rows / restoreSeconds),
        "restore rate (database MB/s)": (dbBytes / 1e6 / restoreSeconds).toFixed(1),
        "RTO (s)": (rtoMs / 1000).toFixed(2),
        "RPO: writes committed after the snapshot": lost,
        "RPO (s): newest restored write age at the incident": (
          (written.lastCommitAt - newest) /
          1000
        ).toFixed(2),
      },
      checks,
    };
  } finally {
    await cluster.destroy();
    rmSync(backups, { recursive: true, force: true });
  }
}
