import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RedisServer } from "@runway/test-harness";
import { ErrorResponseSchema } from "@runway/contracts";
import { startRedis } from "@runway/test-harness";

import type { TestServer } from "../test/harness";
import { http, loginFrom, newUser, PASSWORD, startTestServer } from "../test/harness";

/**
 * Attacks on the rate limits: spoofed forwarding headers, path spellings, the other surface,
 * tRPC batches, many IPv6 addresses, and Redis going away. Limits are small here on purpose.
 */
const LIMITS = {
  RATE_LIMIT_REGISTER_PER_HOUR: "3",
  RATE_LIMIT_REFRESH_PER_MINUTE: "4",
  RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT_IP: "3",
  RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT: "5",
  RATE_LIMIT_IMPORTS_PER_MINUTE: "2",
};

function expect429(res: { status: number; headers: Headers; body: unknown }) {
  expect(res.status).toBe(429);
  expect(ErrorResponseSchema.parse(res.body).code).toBe("RATE_LIMITED");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(res.headers.get("ratelimit-limit")).toBeTruthy();
  expect(res.headers.get("ratelimit-remaining")).toBe("0");
}

const register = (
  base: string,
  n: number,
  headers: Record<string, string> = {},
  path = "/v1/auth/register",
) =>
  http(base, "POST", path, {
    body: { email: `rl${n}.${Date.now()}@example.com`, password: PASSWORD },
    headers,
  });

describe("per-IP limits cannot be dodged", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(LIMITS);
  });
  afterAll(async () => {
    await server.close();
  });

  it("ignores spoofed X-Forwarded-For / X-Real-IP without TRUST_PROXY, across path spellings and both surfaces", async () => {
    const base = server.url;
    const attempts = [
      register(base, 1, { "x-forwarded-for": "203.0.113.1" }),
      register(base, 2, { "x-real-ip": "203.0.113.2" }, "/V1/Auth/Register"),
      register(base, 3, { forwarded: "for=203.0.113.3" }, "/v1/auth/register/"),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(201);
    expect((await register(base, 6, {}, "/v1/auth//register")).status).toBe(404);
    expect429(
      await register(
        base,
        4,
        { "x-forwarded-for": "198.51.100.9" },
        "/v1/AUTH/REGISTER/?via=proxy",
      ),
    );
    const trpc = await register(base, 5, {}, "/trpc/auth.register");
    expect(trpc.status).toBe(429);
    expect(trpc.body).toMatchObject({ error: { data: { code: "RATE_LIMITED" } } });
    expect(Number(trpc.headers.get("retry-after"))).toBeGreaterThan(0);
    // Nothing was created by the refused calls.
    const login = await http(base, "POST", "/v1/auth/login", {
      body: { email: "nobody@example.com", password: PASSWORD },
    });
    expect(login.status).toBe(401);
  });

  it("counts every call of a tRPC batch and answers 429 for a refresh, never 401", async () => {
    const input = JSON.stringify({
      0: { refreshToken: "x" },
      1: { refreshToken: "y" },
      2: { refreshToken: "z" },
    });
    const batch = await http<{ error?: { data: { code: string } } }[]>(
      server.url,
      "POST",
      "/trpc/auth.refresh,auth.refresh,auth.refresh?batch=1",
      {
        raw: input,
        headers: { "content-type": "application/json" },
      },
    );
    expect(batch.body.map((r) => r.error?.data.code)).toEqual([
      "INVALID_REFRESH_TOKEN",
      "INVALID_REFRESH_TOKEN",
      "INVALID_REFRESH_TOKEN",
    ]);
    expect(
      (await http(server.url, "POST", "/v1/auth/refresh", { body: { refreshToken: "w" } })).status,
    ).toBe(401);
    const limited = await http(server.url, "POST", "/v1/auth/refresh", {
      body: { refreshToken: "v" },
    });
    expect429(limited);
  });
});

describe("login brute force", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...LIMITS, TRUST_PROXY: "loopback" });
  });
  afterAll(async () => {
    await server.close();
  });

  const attempt = (email: string, password: string, ip: string) =>
    loginFrom(server.url, email, password, ip);

  it("limits failures per account and IP, then per account, without locking out the owner's own device", async () => {
    const victim = await newUser(server.url);
    for (let i = 0; i < 3; i++)
      expect((await attempt(victim.email, "wrong password!!", "198.51.100.1")).status).toBe(401);
    // This IP spent its failures: even the right password waits.
    expect429(await attempt(victim.email, PASSWORD, "198.51.100.1"));
    // A distributed attack exhausts the account budget...
    expect((await attempt(victim.email, "wrong password!!", "198.51.100.2")).status).toBe(401);
    expect((await attempt(victim.email, "wrong password!!", "198.51.100.3")).status).toBe(401);
    expect429(await attempt(victim.email, "wrong password!!", "198.51.100.2"));
    // ...but the owner, from an address that never failed, still signs in.
    expect((await attempt(victim.email, PASSWORD, "192.0.2.77")).status).toBe(200);
  });

  it("buckets IPv6 clients per /64 and keeps IPv4-mapped addresses apart", async () => {
    const victim = await newUser(server.url);
    for (let i = 1; i <= 3; i++) {
      expect((await attempt(victim.email, "wrong password!!", `2001:db8:1:2::${i}`)).status).toBe(
        401,
      );
    }
    expect429(await attempt(victim.email, "wrong password!!", "2001:db8:1:2:ffff::9"));
    const other = await newUser(server.url);
    for (let i = 1; i <= 3; i++) {
      expect((await attempt(other.email, "wrong password!!", `::ffff:203.0.113.${i}`)).status).toBe(
        401,
      );
    }
    expect((await attempt(other.email, PASSWORD, "::ffff:203.0.113.200")).status).toBe(200);
  });
});

describe("imports per user, and Redis going away", () => {
  let redis: RedisServer;
  let server: TestServer;
  beforeAll(async () => {
    redis = await startRedis();
    server = await startTestServer({
      ...LIMITS,
      RATE_LIMIT_REGISTER_PER_HOUR: "100",
      REDIS_URL: redis.url,
    });
  });
  afterAll(async () => {
    await server.close();
    await redis.destroy();
  });

  it("limits import requests per user in Redis, and keeps limiting in memory while Redis is down", async () => {
    // A fresh user's third import within the minute is refused.
    const twoImportsThenLimited = async () => {
      const { tokens } = await newUser(server.url);
      const upload = (key: string) =>
        http(server.url, "POST", "/v1/imports", {
          token: tokens.accessToken,
          headers: { "idempotency-key": key },
          body: { source: "rl", items: [{ name: "a" }] },
        });
      expect((await upload("a")).status).toBe(202);
      expect((await upload("b")).status).toBe(202);
      expect429(await upload("c"));
    };
    await twoImportsThenLimited();
    await redis.stop();
    try {
      await twoImportsThenLimited();
    } finally {
      await redis.start();
    }
  });
});

describe("the per-IP budget counts every call of a tRPC batch", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_IP_PER_MINUTE: "8" });
  });
  afterAll(async () => {
    await server.close();
  });

  it("refuses a batch that would pass the budget, whether its commas are escaped or not", async () => {
    const batch = (n: number, separator: string) =>
      http(server.url, "GET", `/trpc/${Array(n).fill("me.get").join(separator)}?batch=1`);
    // 3 + 3 calls fit in 8; the next 3 (escaped commas) do not.
    expect((await batch(3, ",")).status).not.toBe(429);
    expect((await batch(3, "%2C")).status).not.toBe(429);
    expect429(await batch(3, "%2c"));
    // The refused batch spent nothing: two single calls still fit, the third does not.
    expect((await http(server.url, "GET", "/v1/me")).status).toBe(401);
    expect((await http(server.url, "GET", "/v1/me")).status).toBe(401);
    expect429(await http(server.url, "GET", "/v1/me"));
  });
});
