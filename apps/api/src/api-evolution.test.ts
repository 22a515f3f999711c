import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { APP_UPGRADE_MESSAGE, ErrorResponseSchema, UserResponseSchema } from "@runway/contracts";

import type { TestServer } from "../test/harness";
import { http, newUser, PASSWORD, startTestServer } from "../test/harness";

/**
 * Apps in the field: a deprecated operation (GET /v1/account, the old path of GET /v1/me) says
 * so in its responses and is counted; MIN_APP_VERSION turns old apps away with a stable 426.
 * Real servers on PostgreSQL.
 */
let server: TestServer;
let strict: TestServer;

beforeAll(async () => {
  [server, strict] = await Promise.all([
    startTestServer({ METRICS_PORT: "0" }),
    startTestServer({ MIN_APP_VERSION: "2.4.0" }),
  ]);
});
afterAll(async () => {
  await Promise.all([server.close(), strict.close()]);
});

async function deprecatedCalls(operation: string): Promise<number> {
  const text = await (await fetch(`${server.running.metricsUrl ?? ""}/metrics`)).text();
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`runway_deprecated_calls_total{operation="${operation}"`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

const DEPRECATION = `@${String(Date.UTC(2026, 11, 1) / 1000)}`;
const SUNSET = "Wed, 30 Jun 2027 00:00:00 GMT";
const LINK = '</docs/#/me/getAccount>; rel="deprecation"; type="text/html"';

describe("a deprecated operation", () => {
  it("answers like its replacement, with Deprecation, Sunset and Link headers, and is counted", async () => {
    const user = await newUser(server.url);
    const before = await deprecatedCalls("getAccount");
    const old = await http(server.url, "GET", "/v1/account", { token: user.tokens.accessToken });
    const current = await http(server.url, "GET", "/v1/me", { token: user.tokens.accessToken });

    expect(old.status).toBe(200);
    expect(UserResponseSchema.parse(old.body)).toEqual(UserResponseSchema.parse(current.body));
    expect(old.headers.get("deprecation")).toBe(DEPRECATION);
    expect(old.headers.get("sunset")).toBe(SUNSET);
    expect(old.headers.get("link")).toBe(LINK);
    expect(current.headers.get("deprecation")).toBeNull();
    expect(current.headers.get("sunset")).toBeNull();
    expect(await deprecatedCalls("getAccount")).toBe(before + 1);
    expect(await deprecatedCalls("getMe")).toBe(0);
  });

  it("says so on its errors too, and on /trpc", async () => {
    const before = await deprecatedCalls("getAccount");
    const anonymous = await http(server.url, "GET", "/v1/account");
    expect(anonymous.status).toBe(401);
    expect(ErrorResponseSchema.parse(anonymous.body).code).toBe("UNAUTHENTICATED");
    expect(anonymous.headers.get("deprecation")).toBe(DEPRECATION);

    const user = await newUser(server.url);
    const trpc = await http(server.url, "GET", "/trpc/me.getAccount", {
      token: user.tokens.accessToken,
    });
    expect(trpc.status).toBe(200);
    expect(trpc.headers.get("sunset")).toBe(SUNSET);
    expect(await deprecatedCalls("getAccount")).toBe(before + 2);
  });

  it("is marked deprecated in the served OpenAPI document, with its sunset", async () => {
    const res = await http<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(
      server.url,
      "GET",
      "/v1/openapi.json",
    );
    expect(res.body.paths["/account"]?.get).toMatchObject({
      deprecated: true,
      "x-sunset": "2027-06-30",
    });
    expect(res.body.paths["/me"]?.get?.deprecated).toBeUndefined();
  });
});

describe("MIN_APP_VERSION", () => {
  const me = async (base: string, appVersion?: string) => {
    const user = await newUser(base);
    return http(base, "GET", "/v1/me", {
      token: user.tokens.accessToken,
      headers: appVersion === undefined ? {} : { "x-app-version": appVersion },
    });
  };

  it("answers an older app 426 APP_UPGRADE_REQUIRED with a stable body", async () => {
    for (const old of ["2.3.9", "1.99.99", "2.4.0-beta.1"]) {
      const res = await me(strict.url, old);
      expect(res.status).toBe(426);
      expect(res.body).toEqual({
        code: "APP_UPGRADE_REQUIRED",
        message: APP_UPGRADE_MESSAGE,
        requestId: res.headers.get("x-request-id"),
        minAppVersion: "2.4.0",
      });
    }
  });

  it("turns an old app away before anything else, even on public operations", async () => {
    const res = await http(strict.url, "POST", "/v1/auth/login", {
      body: { email: "nobody@example.com", password: PASSWORD },
      headers: { "x-app-version": "2.0.0" },
    });
    expect(res.status).toBe(426);
    expect(ErrorResponseSchema.parse(res.body).code).toBe("APP_UPGRADE_REQUIRED");
  });

  it("serves the minimum and newer versions (compared as versions, not text)", async () => {
    for (const version of ["2.4.0", "2.4.1", "2.10.0", "10.0.0", "2.5.0-rc.1"]) {
      expect((await me(strict.url, version)).status).toBe(200);
    }
  });

  it("does not affect requests without the header (web console, curl) or other routes", async () => {
    expect((await me(strict.url)).status).toBe(200);
    const health = await fetch(`${strict.url}/healthz`, { headers: { "x-app-version": "0.0.1" } });
    expect(health.status).toBe(200);
    const trpc = await fetch(`${strict.url}/trpc/me.get`, {
      headers: { "x-app-version": "0.0.1" },
    });
    expect(trpc.status).toBe(401);
  });

  it("refuses a malformed version with 400 VALIDATION_FAILED naming the header", async () => {
    for (const bad of ["banana", "v2.4.0", "2.4", "02.4.0", `2.4.0-${"x".repeat(80)}`]) {
      const res = await me(strict.url, bad);
      expect(res.status).toBe(400);
      expect(ErrorResponseSchema.parse(res.body)).toMatchObject({
        code: "VALIDATION_FAILED",
        issues: [{ path: "X-App-Version" }],
      });
    }
  });

  it("serves every version when unset", async () => {
    expect((await me(server.url, "0.0.1")).status).toBe(200);
  });
});
