import type { Server, Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { connect, createServer } from "node:net";
import { Redis } from "ioredis";

import type { RedisServer } from "./redis";
import { freePort } from "./ports";

const CLAIM_TTL_SECONDS = 3600;

/**
 * A test file's share of a running Redis (REDIS_URL): one of its databases 1-15, claimed with a
 * key in database 0 so parallel files never share one, flushed before and after use. Clients
 * reach it through a loopback TCP proxy; stopping the proxy cuts every connection and refuses
 * new ones, which is what a Redis outage looks like to them.
 */
export async function startRedisProxy(externalUrl: string): Promise<RedisServer> {
  const upstream = new URL(externalUrl);
  upstream.pathname = "";
  if (upstream.protocol !== "redis:")
    throw new Error(
      "REDIS_URL for tests must be a redis:// URL (the test proxy does not speak TLS)",
    );
  const upstreamPort = Number(upstream.port || "6379");
  const upstreamHost = upstream.hostname;
  const db = await claimDatabase(upstream.toString());

  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const listening = createServer((client) => {
        const remote = connect(upstreamPort, upstreamHost);
        for (const socket of [client, remote]) {
          sockets.add(socket);
          socket.once("close", () => sockets.delete(socket));
          socket.on("error", () => {
            client.destroy();
            remote.destroy();
          });
        }
        client.pipe(remote).pipe(client);
      });
      listening.once("error", reject);
      listening.listen(port, "127.0.0.1", () => {
        server = listening;
        resolve();
      });
    });

  const stop = async (options?: { crash?: boolean }) => {
    const running = server;
    if (!running) return;
    server = null;
    const closed = new Promise<void>((resolve) => {
      running.close(() => {
        resolve();
      });
    });
    for (const socket of sockets) {
      if (options?.crash) socket.resetAndDestroy();
      else socket.destroy();
    }
    await closed;
  };

  await start();
  const url = new URL(upstream);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  url.pathname = `/${String(db.index)}`;
  return {
    url: url.toString(),
    port,
    stop,
    start,
    async destroy() {
      await stop({ crash: true });
      await db.release();
    },
  };
}

async function claimDatabase(
  externalUrl: string,
): Promise<{ index: number; release(): Promise<void> }> {
  const token = randomBytes(12).toString("hex");
  const admin = new Redis(externalUrl, { db: 0, maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await admin.connect();
    for (let index = 1; index <= 15; index += 1) {
      const key = `runway-test:db:${String(index)}`;
      if ((await admin.set(key, token, "EX", CLAIM_TTL_SECONDS, "NX")) !== "OK") continue;
      await withDatabase(externalUrl, index, (client) => client.flushdb());
      return {
        index,
        async release() {
          await withDatabase(externalUrl, index, (client) => client.flushdb());
          await withDatabase(externalUrl, 0, async (client) => {
            if ((await client.get(key)) === token) await client.del(key);
          });
        },
      };
    }
  } finally {
    admin.disconnect();
  }
  throw new Error("REDIS_URL: databases 1-15 are all claimed by other test files");
}

async function withDatabase<T>(
  externalUrl: string,
  db: number,
  use: (client: Redis) => Promise<T>,
): Promise<T> {
  const client = new Redis(externalUrl, { db, maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    return await use(client);
  } finally {
    client.disconnect();
  }
}
