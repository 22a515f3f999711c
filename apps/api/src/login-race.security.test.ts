import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestServer } from "../test/harness";
import { http, loginFrom, newUser, PASSWORD, startTestServer } from "../test/harness";

/**
 * Attacks on the failed-login limits from the attack pass, on PostgreSQL: concurrent guesses
 * racing the counter, guesses multiplied by tRPC batches, and password spraying across accounts
 * from one address. A "verdict" is a 200 or 401: a password was checked.
 */
const PAIR_LIMIT = 10;
const IP_LIMIT = 12;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    TRUST_PROXY: "loopback",
    RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT_IP: String(PAIR_LIMIT),
    RATE_LIMIT_LOGIN_FAILS_PER_IP: String(IP_LIMIT),
  });
});
afterAll(async () => {
  await server.close();
});

const login = (email: string, password: string, ip: string) =>
  loginFrom(server.url, email, password, ip);

const verdicts = (statuses: number[]) => statuses.filter((s) => s === 200 || s === 401).length;

describe("the failed-login limiter cannot be raced", () => {
  it("checks at most the limit of passwords among 60 concurrent logins for one account", async () => {
    const victim = await newUser(server.url);
    const attempts = Array.from({ length: 60 }, (_, i) =>
      login(victim.email, i === 30 ? PASSWORD : `wrong password ${i}!`, "198.51.100.10"),
    );
    const statuses = (await Promise.all(attempts)).map((res) => res.status);
    expect(verdicts(statuses)).toBeLessThanOrEqual(PAIR_LIMIT);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(60 - PAIR_LIMIT);
    expect(statuses.every((s) => [200, 401, 429].includes(s))).toBe(true);
  });

  it("gives one tRPC batch of 10 logins only the verdicts left after 9 failures", async () => {
    const victim = await newUser(server.url);
    for (let i = 0; i < PAIR_LIMIT - 1; i++) {
      expect((await login(victim.email, `wrong password ${i}!`, "198.51.100.11")).status).toBe(401);
    }
    const calls = Array.from({ length: 10 }, (_, i) => [
      String(i),
      { email: victim.email, password: i === 9 ? PASSWORD : `batch guess ${i}!!` },
    ]);
    const batch = await http<{ error?: { data: { code: string } } }[]>(
      server.url,
      "POST",
      `/trpc/${Array(10).fill("auth.login").join(",")}?batch=1`,
      {
        raw: JSON.stringify(Object.fromEntries(calls)),
        headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.11" },
      },
    );
    const codes = batch.body.map((r) => r.error?.data.code ?? "OK");
    expect(codes.filter((c) => c !== "RATE_LIMITED")).toHaveLength(1);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(9);
  });

  it("gives the points back on success, so the owner's own successes never lock them out", async () => {
    const owner = await newUser(server.url);
    for (let i = 0; i < PAIR_LIMIT * 2; i++) {
      expect((await login(owner.email, PASSWORD, "198.51.100.12")).status).toBe(200);
    }
  });
});

describe("password spraying from one address is capped across accounts", () => {
  it("refuses an address after RATE_LIMIT_LOGIN_FAILS_PER_IP failures, except for accounts it signed in to before", async () => {
    const sprayer = "203.0.113.50";
    const known = await newUser(server.url);
    expect((await login(known.email, PASSWORD, sprayer)).status).toBe(200);
    const accounts = await Promise.all(Array.from({ length: 4 }, () => newUser(server.url)));
    const [first] = accounts;
    if (!first) throw new Error("no accounts");
    const statuses: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (const account of accounts) {
        statuses.push((await login(account.email, `spray guess ${round}!`, sprayer)).status);
      }
    }
    expect(statuses.slice(0, IP_LIMIT).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(IP_LIMIT).every((s) => s === 429)).toBe(true);
    // Even the right password is refused from this address now...
    expect((await login(first.email, PASSWORD, sprayer)).status).toBe(429);
    // ...but the account that signed in from it before still gets in, and other addresses too.
    expect((await login(known.email, PASSWORD, sprayer)).status).toBe(200);
    expect((await login(first.email, PASSWORD, "192.0.2.200")).status).toBe(200);
  });
});
