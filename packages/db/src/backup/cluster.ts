import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";

import { pgBin, runTool } from "./tools";

/** PostgreSQL refuses root; as root the throwaway clusters run as Debian's `postgres` user. */
const SERVICE_USER = "postgres";
const asRoot = () => process.getuid?.() === 0;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** A directory the service user owns (the cluster, archives, base backups). */
export async function serviceDir(prefix: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (asRoot()) await runTool("chown", [SERVICE_USER, dir]);
  return dir;
}

export async function makeServiceSubdir(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  if (asRoot()) await runTool("chown", [SERVICE_USER, dir]);
  return dir;
}

export interface Cluster {
  dataDir: string;
  port: number;
  /** Superuser URL of a database on this cluster. */
  url(database?: string): string;
  start(): Promise<void>;
  stop(mode?: "fast" | "immediate"): Promise<void>;
  /** Stops and removes the cluster's directory. */
  destroy(): Promise<void>;
}

/** A cluster on an existing data directory (initdb'd, or a restored base backup). */
export function clusterAt(dataDir: string, port: number, root: string): Cluster {
  const pgCtl = (args: string[]) => runTool(pgBin("pg_ctl"), args, { asUser: SERVICE_USER });
  const cluster: Cluster = {
    dataDir,
    port,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${String(port)}/${database}`,
    async start() {
      const log = path.join(root, `server-${String(port)}.log`);
      await pgCtl([
        "-D",
        dataDir,
        "-l",
        log,
        "-w",
        "-t",
        "120",
        "-o",
        `-p ${String(port)} -h 127.0.0.1 -k ${root}`,
        "start",
      ]).catch((error: unknown) => {
        const tail = existsSync(log)
          ? readFileSync(log, "utf8").split("\n").slice(-8).join("\n")
          : "";
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${tail}`);
      });
    },
    async stop(mode = "fast") {
      await pgCtl(["-D", dataDir, "-m", mode, "-w", "stop"]);
    },
    async destroy() {
      await cluster.stop("immediate").catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return cluster;
}

/**
 * initdb and start a throwaway cluster on a free loopback port. `settings` go into
 * postgresql.auto.conf-style lines of postgresql.conf (WAL archiving for the PITR rehearsal).
 */
export async function startCluster(
  prefix: string,
  settings: Record<string, string> = {},
): Promise<Cluster & { root: string }> {
  const root = await serviceDir(prefix);
  const dataDir = path.join(root, "data");
  await runTool(
    pgBin("initdb"),
    ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"],
    { asUser: SERVICE_USER },
  );
  const lines = Object.entries({ timezone: "'UTC'", ...settings }).map(
    ([key, value]) => `${key} = ${value}`,
  );
  writeFileSync(path.join(dataDir, "postgresql.auto.conf"), `${lines.join("\n")}\n`);
  if (asRoot()) await runTool("chown", [SERVICE_USER, path.join(dataDir, "postgresql.auto.conf")]);
  const port = await freePort();
  const cluster = clusterAt(dataDir, port, root);
  await cluster.start();
  return { ...cluster, root };
}

/** Runs statements as the cluster's superuser on one database. */
export async function superuser<T>(
  url: string,
  work: (sql: postgres.Sql) => Promise<T>,
): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}
