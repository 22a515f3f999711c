import { appendFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import type { RehearsalReport } from "./report";
import { runMigrations } from "../client";
import { clusterAt, freePort, makeServiceSubdir, startCluster, superuser } from "./cluster";
import { seedVolume } from "./seed";
import { pgBin, progress, runTool } from "./tools";

const WRITES = 10;
const TARGET_AFTER = 5;
const ARCHIVE_TIMEOUT_S = 60;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function asService(file: string, args: string[]) {
  return runTool(file, args, { asUser: "postgres" });
}

/** Polls until `probe` is true, or fails after `seconds`. */
async function waitFor(what: string, seconds: number, probe: () => Promise<boolean>) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * `pnpm db:rehearse:pitr`: WAL archiving to a local directory, a pg_basebackup, ten writes with
 * known commit timestamps, then recovery of the base backup to a recovery_target_time between
 * the fifth and sixth; proves exactly the first five exist, and measures RTO and RPO.
 */
export async function rehearsePitr(users: number): Promise<RehearsalReport> {
  const log = progress("pitr");
  const startedAt = new Date().toISOString();
  const checks: RehearsalReport["checks"] = [];
  const cluster = await startCluster("runway-pitr-", {
    wal_level: "replica",
    archive_mode: "on",
    archive_timeout: String(ARCHIVE_TIMEOUT_S),
    track_commit_timestamp: "on",
    max_wal_senders: "4",
  });
  const archive = await makeServiceSubdir(path.join(cluster.root, "archive"));
  const recoveredDir = path.join(cluster.root, "recovered");
  let recovered: ReturnType<typeof clusterAt> | null = null;
  try {
    await superuser(cluster.url(), (sql) =>
      sql
        .unsafe(
          `alter system set archive_command = 'test ! -f ${archive}/%f && cp %p ${archive}/%f'`,
        )
        .then(() => sql`select pg_reload_conf()`),
    );
    await superuser(cluster.url(), (sql) => sql`create database runway`);
    const url = cluster.url("runway");
    await runMigrations(url);
    await superuser(url, (sql) =>
      seedVolume(sql, { users, importsPerUser: 2, itemsPerImport: 10 }, log),
    );
    const seededImports = await superuser(url, async (sql) =>
      Number((await sql<{ n: number }[]>`select count(*)::int as n from imports`)[0]?.n),
    );

    log("pg_basebackup");
    const baseStarted = performance.now();
    const base = await makeServiceSubdir(path.join(cluster.root, "base"));
    await asService(pgBin("pg_basebackup"), [
      "-h",
      "127.0.0.1",
      "-p",
      String(cluster.port),
      "-U",
      "postgres",
      "-D",
      base,
      "-Fp",
      "-Xs",
      "-c",
      "fast",
    ]);
    const baseMs = performance.now() - baseStarted;

    log(`${String(WRITES)} writes with known commit timestamps`);
    const commits = await superuser(url, async (sql) => {
      const [someone] = await sql<{ id: string }[]>`select id from users limit 1`;
      for (let n = 1; n <= WRITES; n++) {
        await sql`insert into imports (user_id, source, total_items, request_id)
          values (${someone?.id ?? ""}, 'pitr-write', 1, ${`p-${String(n)}`})`;
        await sleep(200);
      }
      return sql<{ n: number; committed: string; ms: string }[]>`
        select substr(request_id, 3)::int as n, pg_xact_commit_timestamp(xmin)::text as committed,
               (extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000)::bigint::text as ms
        from imports where source = 'pitr-write' order by 1`;
    });
    const before = commits[TARGET_AFTER - 1];
    const after = commits[TARGET_AFTER];
    if (!before || !after) throw new Error("the writes did not all commit");
    const targetMs = (Number(before.ms) + Number(after.ms)) / 2;
    // PostgreSQL reads "YYYY-MM-DD HH:MM:SS.mmm+00", not the ISO "T...Z" form.
    const target = new Date(targetMs).toISOString().replace("T", " ").replace("Z", "+00");
    log(
      `recovery target ${target}: between write ${String(TARGET_AFTER)} (${before.committed}) and ${String(TARGET_AFTER + 1)} (${after.committed})`,
    );

    const lastCommitMs = Number(commits.at(-1)?.ms);
    const wal = await superuser(
      url,
      async (sql) =>
        (await sql<{ file: string }[]>`select pg_walfile_name(pg_switch_wal()) as file`)[0]?.file ??
        "",
    );
    await waitFor("the last WAL segment in the archive", 30, () =>
      superuser(
        url,
        async (sql) =>
          ((
            await sql<
              { last: string | null }[]
            >`select last_archived_wal as last from pg_stat_archiver`
          )[0]?.last ?? "") >= wal,
      ),
    );
    const archiveLagMs = Date.now() - lastCommitMs;
    log(`WAL ${wal} archived; the primary is lost (immediate stop)`);
    await cluster.stop("immediate");

    const rtoStarted = performance.now();
    await asService("cp", ["-a", base, recoveredDir]);
    await asService("chmod", ["0700", recoveredDir]);
    const auto = path.join(recoveredDir, "postgresql.auto.conf");
    appendFileSync(
      auto,
      [
        `restore_command = 'cp ${archive}/%f %p'`,
        `recovery_target_time = '${target}'`,
        "recovery_target_action = 'promote'",
        "archive_mode = 'off'",
        "",
      ].join("\n"),
    );
    writeFileSync(path.join(recoveredDir, "recovery.signal"), "");
    if (process.getuid?.() === 0)
      await runTool("chown", ["postgres", auto, path.join(recoveredDir, "recovery.signal")]);
    const port = await freePort();
    recovered = clusterAt(recoveredDir, port, cluster.root);
    log(`recovering on port ${String(port)}`);
    await recovered.start();
    const recoveredUrl = recovered.url("runway");
    await waitFor("promotion", 120, () =>
      superuser(
        recoveredUrl,
        async (sql) =>
          (await sql<{ r: boolean }[]>`select pg_is_in_recovery() as r`)[0]?.r === false,
      ),
    );
    const [present, imports] = await superuser(
      recoveredUrl,
      async (sql) =>
        [
          await sql<{ n: number; ms: string }[]>`
        select substr(request_id, 3)::int as n,
               (extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000)::bigint::text as ms
        from imports where source = 'pitr-write' order by 1`,
          Number(
            (
              await sql<
                { n: number }[]
              >`select count(*)::int as n from imports where source <> 'pitr-write'`
            )[0]?.n,
          ),
        ] as const,
    );
    const rtoMs = performance.now() - rtoStarted;
    const got = present.map((row) => row.n);
    const expected = Array.from({ length: TARGET_AFTER }, (_, i) => i + 1);
    checks.push({
      name: "exactly the writes before the target",
      ok: JSON.stringify(got) === JSON.stringify(expected),
      detail: `present [${got.join(", ")}], expected [${expected.join(", ")}]`,
    });
    checks.push({
      name: "data from before the base backup",
      ok: imports === seededImports,
      detail: `${String(imports)} seeded imports, ${String(seededImports)} expected`,
    });
    const newest = Number(present.at(-1)?.ms ?? 0);
    return {
      name: "db-rehearse-pitr",
      startedAt,
      figures: {
        "base backup (s)": (baseMs / 1000).toFixed(2),
        "recovery target": target,
        "RTO (s): copy base backup, replay WAL, promote, verify": (rtoMs / 1000).toFixed(2),
        "RPO (s): target minus newest recovered commit": ((targetMs - newest) / 1000).toFixed(3),
        "archive lag (s): last commit to its WAL archived": (archiveLagMs / 1000).toFixed(2),
        "worst-case RPO (s): archive_timeout": ARCHIVE_TIMEOUT_S,
      },
      checks,
    };
  } finally {
    await recovered?.stop("immediate").catch(() => undefined);
    await cluster.destroy();
  }
}
