import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { freePort } from "./ports";

export interface PostgresServer {
  /** A superuser URL; tests create their own databases through it. */
  url: string;
  stop(): Promise<void>;
}

function findBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const dir = path.join(root, version, "bin");
    if (existsSync(path.join(dir, "initdb"))) return dir;
  }
  throw new Error(
    "PostgreSQL binaries not found under /usr/lib/postgresql: install the postgresql package or set DATABASE_URL",
  );
}

/**
 * Starts a throwaway PostgreSQL cluster from the machine's binaries. initdb refuses to run as
 * root, so as root the cluster is owned by the `postgres` system user.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const binDir = findBinDir();
  const dir = mkdtempSync(path.join(tmpdir(), "runway-pg-"));
  const dataDir = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const run = (bin: string, args: string[]) => {
    const cmd = path.join(binDir, bin);
    return asRoot
      ? { cmd: "runuser", args: ["-u", "postgres", "--", cmd, ...args] }
      : { cmd, args };
  };
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const init = run("initdb", [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "-A",
    "trust",
    "--no-sync",
    "-E",
    "UTF8",
  ]);
  execFileSync(init.cmd, init.args, { stdio: "ignore" });

  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-h 127.0.0.1",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=300",
  ].join(" ");
  const start = run("pg_ctl", [
    "-D",
    dataDir,
    "-o",
    options,
    "-l",
    path.join(dir, "log"),
    "-w",
    "-t",
    "60",
    "start",
  ]);
  execFileSync(start.cmd, start.args, { stdio: "ignore" });

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      const stop = run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      execFileSync(stop.cmd, stop.args, { stdio: "ignore" });
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}
