import type { ChildProcess } from "node:child_process";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { freePort } from "./ports";

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGKILL-like outage when `crash`), keeping its port for a restart. */
  stop(options?: { crash?: boolean }): Promise<void>;
  start(): Promise<void>;
  /** Stops for good and removes its files. */
  destroy(): Promise<void>;
}

/**
 * A real redis-server from the machine's binaries, configured as BullMQ's production guide
 * asks (noeviction, append-only file), on a random loopback port. Tests stop and start it to
 * simulate outages.
 */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "runway-redis-"));
  const port = await freePort();
  let child: ChildProcess | null = null;

  const launch = async () => {
    child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--appendonly",
        "yes",
        "--save",
        "",
        "--maxmemory-policy",
        "noeviction",
      ],
      { stdio: "ignore" },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        if (
          execFileSync("redis-cli", ["-p", String(port), "ping"])
            .toString()
            .trim() === "PONG"
        )
          return;
      } catch {
        // Not up yet.
      }
      if (Date.now() > deadline) throw new Error("redis-server did not start");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const halt = async (signal: NodeJS.Signals) => {
    const running = child;
    if (running?.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill(signal);
    await exited;
    child = null;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: (options) => halt(options?.crash ? "SIGKILL" : "SIGTERM"),
    start: launch,
    async destroy() {
      await halt("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
