import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository root (services are started from there). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Throwaway secrets for tests, benchmarks and load runs; never a deployment's. */
export const benchSecrets = {
  JWT_SECRET: "k3J9vQ2mX8pL5rT1wZ6yB4nC7dF0gH2jK5mN8qR1tV4xY7zA",
  PII_HASH_KEY: "Zq8Lr2Vx7Nc4Tb9Wm1Ks6Hd3Jf0Gp5Ya8Ue2Io7Pl4Qw9",
};

const LIFTED = "1000000000";
/** Per-client limits lifted: a load generator is one client on one address. */
export const liftedRateLimits = {
  RATE_LIMIT_IP_PER_MINUTE: LIFTED,
  RATE_LIMIT_REFRESH_PER_MINUTE: LIFTED,
  RATE_LIMIT_REGISTER_PER_HOUR: LIFTED,
  RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT_IP: LIFTED,
  RATE_LIMIT_IMPORTS_PER_MINUTE: LIFTED,
  RATE_LIMIT_IMPORT_ITEMS_PER_HOUR: LIFTED,
  MATCH_LOOKUPS_PER_DAY: LIFTED,
};

/**
 * A benchmark measures the stack at saturation: per-client limits lifted (a load generator is
 * one client) and no load shedding (it would only measure the shedder).
 */
export const benchmarkLimits = {
  ...liftedRateLimits,
  SHED_EVENT_LOOP_DELAY_MS: "0",
  SHED_LATENCY_MS: "0",
  SHED_MAX_IN_FLIGHT: "0",
  SHED_PASSWORD_QUEUE: "0",
};

/**
 * The node flags an image of infra/docker/Dockerfile starts its app with: the `NODE_OPTIONS`
 * its stages set (its own, or a stage it is built `FROM`) and the flags in its `CMD`. Benchmarks
 * run the bundle with them, so they measure the process production runs.
 */
export function imageNodeFlags(target: "api" | "worker"): string[] {
  const lines = readFileSync(`${repoRoot}infra/docker/Dockerfile`, "utf8").split("\n");
  const stages = new Map<string, { from: string; options: string[]; cmd: string[] }>();
  let stage: { from: string; options: string[]; cmd: string[] } | undefined;
  for (const line of lines) {
    const from = /^FROM\s+(\S+)\s+AS\s+(\S+)/i.exec(line);
    if (from?.[1] && from[2])
      stages.set(from[2], (stage = { from: from[1], options: [], cmd: [] }));
    const env = /^ENV\s+NODE_OPTIONS="([^"]*)"/.exec(line);
    if (env?.[1] && stage) stage.options = env[1].split(" ").filter(Boolean);
    if (line.startsWith("CMD [") && stage) stage.cmd = JSON.parse(line.slice(4)) as string[];
  }
  const flags: string[] = [];
  let cmd: string[] = [];
  for (let at = stages.get(target); at; at = stages.get(at.from)) {
    if (flags.length === 0) flags.push(...at.options);
    if (cmd.length === 0) cmd = at.cmd;
  }
  if (cmd[0] !== "node") throw new Error(`the ${target} image does not start with node`);
  return [...flags, ...cmd.slice(1).filter((arg) => arg.startsWith("--"))];
}

/** A Node process started from the repository root with only the given environment (and PATH). */
export function launchNode(args: string[], env: Record<string, string>, log: string): ChildProcess {
  const out = openSync(log, "a");
  return spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", out, out],
  });
}

/** Polls `check` until true; `giveUp` returning a message (a process died, say) throws it. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  giveUp: () => string | null = () => null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    const reason = giveUp();
    if (reason) throw new Error(reason);
    if (Date.now() > deadline) throw new Error("timed out waiting for a server");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resident set size of a live process, in MB (from /proc). */
export function processRssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * User + system CPU time of a process so far, in ms (from /proc, in clock ticks of 10 ms); of
 * one of its threads with `/proc/PID/task/TID/stat`.
 */
export function processCpuMs(
  pid: number | undefined,
  statFile = `/proc/${String(pid)}/stat`,
): number {
  const fields = readFileSync(statFile, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Stops a child with SIGTERM and waits for it (at most `graceMs`). */
export async function stopProcess(
  child: ChildProcess | undefined,
  graceMs = 10_000,
): Promise<void> {
  if (child?.exitCode !== null) return;
  const exited = new Promise<boolean>((resolve) =>
    child.once("exit", () => {
      resolve(true);
    }),
  );
  child.kill("SIGTERM");
  const timeout = new Promise<boolean>((resolve) =>
    setTimeout(() => {
      resolve(false);
    }, graceMs),
  );
  if (!(await Promise.race([exited, timeout]))) child.kill("SIGKILL");
}
