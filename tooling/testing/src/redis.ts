import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { freePort } from "./ports";
import { startRedisProxy } from "./redis-proxy";

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
 * A real Redis for one test file. With REDIS_URL (a running server), the file gets a database
 * of its own on it behind a loopback proxy that tests cut to simulate outages. Otherwise a
 * redis-server from the machine's PATH (`pnpm test` installs it when missing), configured as
 * BullMQ's production guide asks (noeviction, append-only file), on a random loopback port;
 * tests stop and start it.
 */
export async function startRedis(
  options: { url?: string | undefined } = { url: process.env.REDIS_URL },
): Promise<RedisServer> {
  if (options.url) return startRedisProxy(options.url);
  const dir = mkdtempSync(path.join(tmpdir(), "runway-redis-"));
  const port = await freePort();
  let child: ChildProcess | null = null;

  const launch = async () => {
    const spawned = spawn(
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
    const spawnError: { error: Error | null } = { error: null };
    spawned.once("error", (error) => {
      spawnError.error = error;
    });
    child = spawned;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (spawnError.error)
        throw new Error(
          `redis-server could not be started (${String(spawnError.error)}): run \`pnpm test\`, which installs it, or set REDIS_URL`,
        );
      if (await ping(port)) return;
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
    url: `redis://127.0.0.1:${String(port)}`,
    port,
    stop: (stopOptions) => halt(stopOptions?.crash ? "SIGKILL" : "SIGTERM"),
    start: launch,
    async destroy() {
      await halt("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when a Redis answers PING on the loopback port (no redis-cli needed). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => {
      done(false);
    });
    socket.once("error", () => {
      done(false);
    });
    socket.once("connect", () => {
      socket.write("PING\r\n");
    });
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"));
    });
  });
}
