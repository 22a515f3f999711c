import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { ErrorResponseSchema, MetricsSummarySchema } from "@runway/contracts";
import { createCapturingLogger } from "@runway/observability";

import type { TestServer } from "../test/harness";
import { adminTokens, http, newUser, startTestServer, waitForCompletion } from "../test/harness";

/**
 * What the on-call engineer sees: access lines with request ids, Prometheus metrics behind a
 * token, and the admin console's summary. A real server on PostgreSQL.
 */
const METRICS_TOKEN = "yGh6ah9AA0YyHImelceQKXhP5d3yD6FNKi4bX3nsblm3bTeRiJ";
const capture = createCapturingLogger("api");
let server: TestServer;

type Line = Record<string, unknown>;
const lines = (): Line[] => capture.lines.map((line) => JSON.parse(line) as Line);
const accessLines = (requestId: string) =>
  lines().filter((line) => line.message === "request" && line.requestId === requestId);

beforeAll(async () => {
  server = await startTestServer(
    { METRICS_TOKEN, RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT_IP: "2" },
    { logger: capture.logger },
  );
});
afterAll(async () => {
  await server.close();
});

async function scrape(token = METRICS_TOKEN) {
  const res = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, text: await res.text() };
}

/** The value of one sample line, e.g. `runway_auth_refresh_total{outcome="rotated"`. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const line = text
    .split("\n")
    .find(
      (l) =>
        l.startsWith(`${name}{`) &&
        Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("request ids and access logs", () => {
  it("writes one access line per request: request id, user, route template, status, duration", async () => {
    const user = await newUser(server.url);
    const missing = "0b8f7a3e-1111-4222-8333-444455556666";
    const res = await http(server.url, "GET", `/v1/imports/${missing}`, {
      token: user.tokens.accessToken,
      headers: { "x-request-id": "android-7f3a.1" },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toBe("android-7f3a.1");
    expect(ErrorResponseSchema.parse(res.body).requestId).toBe("android-7f3a.1");

    const [line, ...more] = accessLines("android-7f3a.1");
    expect(more).toHaveLength(0);
    expect(line).toMatchObject({
      level: "info",
      service: "api",
      userId: user.id,
      method: "GET",
      route: "/v1/imports/{importId}",
      status: 404,
    });
    expect(typeof line?.durationMs).toBe("number");
    expect(typeof line?.time).toBe("string");
    expect(JSON.stringify(lines())).not.toContain(missing);
  });

  it("logs a request whose client hung up before the answer once, as 499", async () => {
    const { port } = new URL(server.url);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    // The server answers "100 Continue" once it has the request; then half a body, and the
    // client goes away while the server still waits for the rest.
    const continued = new Promise((resolve) => socket.once("data", resolve));
    socket.write(
      "POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
        "Content-Length: 200\r\nExpect: 100-continue\r\nX-Request-ID: hung-up-1\r\n\r\n",
    );
    await continued;
    socket.write('{"email":');
    socket.destroy();
    await vi.waitFor(() => {
      expect(accessLines("hung-up-1")).toHaveLength(1);
    });
    expect(accessLines("hung-up-1")[0]).toMatchObject({ route: "/v1/auth/login", status: 499 });
  });

  it("replaces an insane X-Request-ID with its own and logs tRPC calls by procedure", async () => {
    const res = await http(server.url, "GET", "/trpc/me.get", {
      headers: { "x-request-id": "bad id with spaces<script>" },
    });
    expect(res.status).toBe(401);
    const id = res.headers.get("x-request-id") ?? "";
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(accessLines(id)).toMatchObject([{ route: "/trpc/me.get", status: 401 }]);
    expect(accessLines(id)[0]).not.toHaveProperty("userId");
  });

  it("labels a tRPC batch as one route, whatever it combines", async () => {
    const user = await newUser(server.url);
    const res = await http(server.url, "GET", "/trpc/me.get,me.get?batch=1&input=%7B%7D", {
      token: user.tokens.accessToken,
      headers: { "x-request-id": "batch-1" },
    });
    expect(res.status).toBe(200);
    expect(accessLines("batch-1")).toMatchObject([{ route: "/trpc/{batch}", status: 200 }]);
  });

  it("never logs the raw path of an unknown route", async () => {
    const res = await http(server.url, "GET", "/v1/secret-jane@example.com/xyz", {
      headers: { "x-request-id": "unknown-route-1" },
    });
    expect(res.status).toBe(404);
    expect(accessLines("unknown-route-1")).toMatchObject([{ route: "/v1/{unmatched}" }]);
    expect(capture.lines.join("")).not.toContain("secret-jane");
  });
});

describe("/metrics", () => {
  it("is refused without the bearer token", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await scrape("wrong-token-of-some-length-1234")).status).toBe(401);
  });

  it("exports latency by route template, requests by status, and process metrics", async () => {
    const before = await scrape();
    const user = await newUser(server.url);
    const missing = "0b8f7a3e-2222-4222-8333-444455556666";
    await http(server.url, "GET", `/v1/imports/${missing}`, { token: user.tokens.accessToken });
    await http(server.url, "GET", "/trpc/me.get");
    const { status, text } = await scrape();
    expect(status).toBe(200);
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*route="\/v1\/imports\/\{importId\}"[^}]*status_class="4xx"/,
    );
    const unauthorized = { route: "/trpc/me.get", status: "401" };
    expect(
      sample(text, "http_requests_total", unauthorized) -
        sample(before.text, "http_requests_total", unauthorized),
    ).toBe(1);
    expect(text).not.toMatch(/route="\/v1\/imports\/[0-9a-f]{8}-/);
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(sample(text, "runway_dependency_up", { dependency: "database" })).toBe(1);
    expect(sample(text, "runway_rate_limit_fallback_active", {})).toBe(0);
  });

  it("counts refresh outcomes, so the revoke hit rate can be computed", async () => {
    const before = await scrape();
    const user = await newUser(server.url);
    const first = await http<{ tokens: { refreshToken: string } }>(
      server.url,
      "POST",
      "/v1/auth/refresh",
      { body: { refreshToken: user.tokens.refreshToken } },
    );
    expect(first.status).toBe(200);
    await http(server.url, "POST", "/v1/auth/refresh", {
      body: { refreshToken: "not-a-token-at-all-0000000000000000" },
    });
    const after = await scrape();
    const delta = (outcome: string) =>
      sample(after.text, "runway_auth_refresh_total", { outcome }) -
      sample(before.text, "runway_auth_refresh_total", { outcome });
    expect(delta("rotated")).toBe(1);
    expect(delta("invalid")).toBe(1);
    expect(delta("reuse_detected")).toBe(0);
  });

  it("counts rate-limit rejections by limit", async () => {
    const user = await newUser(server.url);
    for (let i = 0; i < 3; i++) {
      await http(server.url, "POST", "/v1/auth/login", {
        body: { email: user.email, password: "wrong password, certainly" },
      });
    }
    const { text } = await scrape();
    expect(
      sample(text, "runway_rate_limit_rejections_total", { limit: "loginAccountIp" }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("shows the queue: depth per state, oldest waiting age, dead letters", async () => {
    const { text } = await scrape();
    for (const state of ["waiting", "active", "delayed", "failed"]) {
      expect(text).toContain(`runway_import_queue_jobs{state="${state}"`);
    }
    expect(text).toContain("runway_import_queue_oldest_waiting_seconds");
    expect(text).toMatch(/^runway_dead_letters\{[^}]*\} 0$/m);
  });
});

describe("GET /v1/admin/metrics", () => {
  it("gives the admin console latency, error ratios, queue and revoke figures", async () => {
    const admin = await adminTokens(server.url);
    const user = await newUser(server.url);
    const created = await http<{ import: { id: string } }>(server.url, "POST", "/v1/imports", {
      token: user.tokens.accessToken,
      headers: { "idempotency-key": "metrics-1" },
      body: { source: "metrics", items: [{ email: "a@example.com" }, { email: "b@example.com" }] },
    });
    expect(created.status).toBe(202);
    await waitForCompletion(server.url, user.tokens.accessToken, created.body.import.id);
    // Traffic of its own, whatever else ran before: a 4xx, a rotation, more than ten requests.
    await http(server.url, "GET", "/trpc/me.get");
    const rotated = await http(server.url, "POST", "/v1/auth/refresh", {
      body: { refreshToken: user.tokens.refreshToken },
    });
    expect(rotated.status).toBe(200);
    for (let i = 0; i < 10; i++) {
      await http(server.url, "GET", "/v1/me", { token: user.tokens.accessToken });
    }

    const res = await http(server.url, "GET", "/v1/admin/metrics", { token: admin.accessToken });
    expect(res.status).toBe(200);
    const summary = MetricsSummarySchema.parse(res.body);
    // One rotation and one invalid token so far, no revoked-session hits.
    expect(summary).toMatchObject({
      serverErrorRatio: 0,
      queueDepth: 0,
      deadLetters: 0,
      revokeHitRate: 0,
    });
    expect(summary.requests).toBeGreaterThan(10);
    expect(summary.latencyP50Seconds).toBeGreaterThan(0);
    expect(summary.latencyP95Seconds).toBeGreaterThanOrEqual(summary.latencyP50Seconds ?? 0);
    expect(summary.clientErrorRatio).toBeGreaterThan(0);
    expect(summary.jobTimeP95Seconds).toBeGreaterThan(0);
    expect(summary.deadLetters).toBe(0);
    // Rotations and invalid tokens only: no revoked-session hits.
    expect(summary.revokeHitRate).toBe(0);

    const asUser = await http(server.url, "GET", "/v1/admin/metrics", {
      token: user.tokens.accessToken,
    });
    expect(asUser.status).toBe(403);
  });
});

describe("a separate metrics port", () => {
  it("serves /metrics there and not on the API port", async () => {
    const separate = await startTestServer({ METRICS_PORT: "0" });
    try {
      const url = separate.running.metricsUrl;
      expect(url).toBeTruthy();
      const res = await fetch(`${url ?? ""}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("http_request_duration_seconds");
      const onApi = await fetch(`${separate.url}/metrics`);
      expect(onApi.status).toBe(404);
    } finally {
      await separate.close();
    }
  });
});
