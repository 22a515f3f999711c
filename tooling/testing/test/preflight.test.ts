import { describe, expect, it } from "vitest";

import type { RedisHost } from "../preflight.mjs";
import { manualRedisCommand, planRedis } from "../preflight.mjs";

const ubuntuUser: RedisHost = {
  redisUrl: undefined,
  hasRedisServer: false,
  platform: "linux",
  distro: ["ubuntu", "debian"],
  isRoot: false,
  hasPasswordlessSudo: false,
  hasAptGet: true,
  aptHasCandidate: true,
};

describe("pnpm test pre-flight: Redis", () => {
  it("runs straight away when redis-server is on PATH or REDIS_URL names a server", () => {
    expect(planRedis({ ...ubuntuUser, hasRedisServer: true })).toEqual({ action: "ready" });
    expect(planRedis({ ...ubuntuUser, redisUrl: "redis://127.0.0.1:6379" })).toEqual({
      action: "ready",
    });
  });

  it("installs with apt-get as root, updating the package lists first when they lack Redis", () => {
    const plan = planRedis({
      ...ubuntuUser,
      distro: ["debian"],
      isRoot: true,
      aptHasCandidate: false,
    });
    expect(plan).toEqual({
      action: "install",
      notice:
        "pnpm test: redis-server is not on PATH; installing it: apt-get update -qq && apt-get install -y -qq redis-server",
      commands: [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "redis-server"],
      ],
    });
  });

  it("installs through passwordless sudo, without an update when apt already knows Redis", () => {
    const plan = planRedis({ ...ubuntuUser, hasPasswordlessSudo: true });
    expect(plan.action).toBe("install");
    if (plan.action !== "install") return;
    expect(plan.commands).toEqual([
      ["sudo", "-n", "apt-get", "install", "-y", "-qq", "redis-server"],
    ]);
    expect(plan.notice.split("\n")).toHaveLength(1);
  });

  it("stops with the exact command when it cannot install without asking", () => {
    expect(planRedis(ubuntuUser)).toEqual({
      action: "stop",
      message:
        "pnpm test needs redis-server, which is not on PATH. Run: sudo apt-get install -y redis-server  (or set REDIS_URL to a running Redis)",
    });
    const mac = planRedis({ ...ubuntuUser, platform: "darwin", distro: [] });
    expect(mac.action === "stop" && mac.message).toContain("Run: brew install redis  (");
    const noApt = planRedis({ ...ubuntuUser, isRoot: true, hasAptGet: false });
    expect(noApt.action === "stop" && noApt.message).toContain(
      "Run: apt-get install -y redis-server",
    );
  });

  it("names each platform's package manager command, and none where it knows none", () => {
    const linux = (distro: string[], isRoot = false) =>
      manualRedisCommand({ platform: "linux", distro, isRoot });
    expect(linux(["fedora"])).toBe("sudo dnf install -y redis");
    expect(linux(["rocky", "rhel", "centos", "fedora"])).toBe("sudo dnf install -y redis");
    expect(linux(["alpine"], true)).toBe("apk add redis");
    expect(linux(["arch"])).toBe("sudo pacman -S --noconfirm redis");
    expect(linux(["opensuse-leap", "suse", "opensuse"])).toBe("sudo zypper install -y redis");
    expect(linux(["nixos"])).toBeNull();
    expect(manualRedisCommand({ platform: "win32", distro: [], isRoot: false })).toBeNull();
    const windows = planRedis({ ...ubuntuUser, platform: "win32", distro: [] });
    expect(windows.action === "stop" && windows.message).toContain(
      "cannot be installed for you on win32",
    );
  });
});
