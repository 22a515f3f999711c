import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * The machine's PostgreSQL client and server programs (Debian's `postgresql` package installs
 * them in /usr/lib/postgresql/<major>/bin); the newest major wins, since pg_dump must be at
 * least as new as the server it dumps.
 */
export function pgBinDir(): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(path.join(root, name, "bin", "pg_dump")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const [newest] = majors;
  if (newest === undefined)
    throw new Error(
      "PostgreSQL programs not found in /usr/lib/postgresql/*/bin: apt-get install postgresql",
    );
  return path.join(root, newest, "bin");
}

export function pgBin(name: string): string {
  return path.join(pgBinDir(), name);
}

/** libpq's environment for a URL: the password never appears on a command line. */
export function libpqEnv(url: string): Record<string, string> {
  const parsed = new URL(url);
  const env: Record<string, string> = {
    PGHOST: parsed.hostname.replace(/^\[|\]$/g, ""),
    PGPORT: parsed.port || "5432",
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)),
    PGUSER: decodeURIComponent(parsed.username),
  };
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const sslmode = parsed.searchParams.get("sslmode");
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Each stderr/stdout line, for progress output. */
  onLine?: (line: string) => void;
  /** Run as this OS user (root only): PostgreSQL servers refuse to run as root. */
  asUser?: string;
}

/** Runs a program; rejects with its last output lines when it exits non-zero. */
export function runTool(file: string, args: string[], options: RunOptions = {}): Promise<string> {
  const [command, argv] =
    options.asUser && process.getuid?.() === 0
      ? ["runuser", ["-u", options.asUser, "--", file, ...args]]
      : [file, args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      // The child inherits the environment (PATH, locale) plus libpq's variables; nothing is read.
      // eslint-disable-next-line no-restricted-properties -- passed through, not configuration
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: string[] = [];
    let stdout = "";
    const collect = (chunk: Buffer, keep: boolean) => {
      const text = chunk.toString();
      if (keep) stdout += text;
      for (const line of text.split("\n").filter(Boolean)) {
        lines.push(line);
        if (lines.length > 20) lines.shift();
        options.onLine?.(line);
      }
    };
    child.stdout.on("data", (chunk: Buffer) => {
      collect(chunk, true);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      collect(chunk, false);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(`${path.basename(file)} exited with ${String(code)}:\n${lines.join("\n")}`),
        );
    });
  });
}

/** A progress line with the elapsed time, so long steps show they are moving. */
export function progress(label: string): (message: string) => void {
  const started = performance.now();
  return (message) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`[${label} +${seconds}s] ${message}`);
  };
}
