import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ErrorResponseSchema } from "@runway/contracts";

import type { TestServer } from "../test/harness";
import { http, newUser, PASSWORD, startTestServer, useTestServer } from "../test/harness";

const suite = useTestServer({ BODY_LIMIT_BYTES: "65536", TRPC_MAX_BATCH: "3" });

describe("the HTTP surface", () => {
  it("echoes a sane X-Request-ID and replaces an insane one", async () => {
    const mine = await http(suite.base, "GET", "/healthz", {
      headers: { "x-request-id": "android-42.abc:1" },
    });
    expect(mine.headers.get("x-request-id")).toBe("android-42.abc:1");
    const bad = await http(suite.base, "GET", "/healthz", {
      headers: { "x-request-id": "<script>alert(1)</script>" },
    });
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const long = await http(suite.base, "GET", "/healthz", {
      headers: { "x-request-id": "a".repeat(200) },
    });
    expect(long.headers.get("x-request-id")).not.toBe("a".repeat(200));
  });

  it("puts the request id in every error envelope", async () => {
    const res = await http(suite.base, "GET", "/v1/me", {
      headers: { "x-request-id": "trace-me" },
    });
    expect(res.status).toBe(401);
    expect(ErrorResponseSchema.parse(res.body)).toMatchObject({
      code: "UNAUTHENTICATED",
      requestId: "trace-me",
    });
  });

  it("answers unknown paths with a JSON 404", async () => {
    for (const path of ["/v1/nope", "/nope", "/trpc-nope", "/v1/auth/register/extra"]) {
      const res = await http(suite.base, "GET", path);
      expect(res.status).toBe(404);
      expect(ErrorResponseSchema.parse(res.body).code).toBe("NOT_FOUND");
    }
  });

  it("refuses an oversized body with 413 on both surfaces", async () => {
    const big = JSON.stringify({
      email: "a@example.com",
      password: PASSWORD,
      displayName: "x".repeat(70_000),
    });
    for (const path of ["/v1/auth/register", "/trpc/auth.register"]) {
      const res = await http(suite.base, "POST", path, {
        raw: big,
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(413);
      expect(ErrorResponseSchema.parse(res.body).code).toBe("PAYLOAD_TOO_LARGE");
    }
  });

  it("refuses oversized headers with 431 and the error envelope, before express reads them", async () => {
    const res = await http(suite.base, "GET", "/v1/me", {
      headers: { "x-request-id": "never-read", "x-padding": "a".repeat(20_000) },
    });
    expect(res.status).toBe(431);
    const body = ErrorResponseSchema.parse(res.body);
    expect(body.code).toBe("REQUEST_HEADERS_TOO_LARGE");
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-request-id")).toBe(body.requestId);
  });

  it("answers a request line or header Node cannot parse with 400 and the error envelope", async () => {
    const { port } = new URL(suite.base);
    const socket = connect(Number(port), "127.0.0.1");
    socket.end("GET /v1/me HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n");
    let raw = "";
    for await (const chunk of socket) raw += String(chunk);
    const [head = "", body = ""] = raw.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toMatch(/\r\nContent-Type: application\/json/);
    const envelope = ErrorResponseSchema.parse(JSON.parse(body));
    expect(envelope.code).toBe("BAD_REQUEST");
    expect(head).toContain(`X-Request-ID: ${envelope.requestId}`);
  });

  it("refuses malformed JSON with 400 and a wrong content type with 415", async () => {
    const malformed = await http(suite.base, "POST", "/v1/auth/login", {
      raw: '{"email":',
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(ErrorResponseSchema.parse(malformed.body).code).toBe("BAD_REQUEST");
    const text = await http(suite.base, "POST", "/v1/auth/login", {
      raw: "email=a",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect(ErrorResponseSchema.parse(text.body).code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("caps tRPC batches", async () => {
    const user = await newUser(suite.base);
    const ok = await http<unknown[]>(
      suite.base,
      "GET",
      "/trpc/me.get,me.get,me.get?batch=1&input={}",
      {
        token: user.tokens.accessToken,
      },
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(3);
    const tooMany = await http(
      suite.base,
      "GET",
      "/trpc/me.get,me.get,me.get,me.get?batch=1&input={}",
      {
        token: user.tokens.accessToken,
      },
    );
    expect(tooMany.status).toBe(400);
  });

  it("reports liveness and readiness", async () => {
    expect((await http(suite.base, "GET", "/healthz")).body).toEqual({ status: "ok" });
    const ready = await http(suite.base, "GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: "ready", checks: { database: "ok" } });
  });

  it("serves the committed OpenAPI document and an interactive reference", async () => {
    const served = await http(suite.base, "GET", "/v1/openapi.json");
    const committed = readFileSync(
      new URL("../../../packages/api/openapi.json", import.meta.url),
      "utf8",
    );
    expect(served.body).toEqual(JSON.parse(committed));
    const docs = await fetch(`${suite.base}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("swagger-ui");
  });

  it("allows CORS for allowlisted origins and refuses a foreign preflight", async () => {
    const allowed = await fetch(`${suite.base}/v1/auth/login`, {
      method: "OPTIONS",
      headers: { origin: "https://admin.example.com", "access-control-request-method": "POST" },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://admin.example.com");
    const foreign = await fetch(`${suite.base}/v1/auth/login`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    const simple = await fetch(`${suite.base}/healthz`, {
      headers: { origin: "https://evil.example" },
    });
    expect(simple.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("sends helmet's headers, no x-powered-by and no ETag", async () => {
    const res = await http(suite.base, "GET", "/v1/openapi.json");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(res.headers.get("strict-transport-security")).toBeNull();
    expect(res.headers.get("etag")).toBeNull();
  });

  it("answers the liveness probe ahead of the stack, still with a request id", async () => {
    const res = await http(suite.base, "GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-powered-by")).toBeNull();
  });
});

describe("readiness without migrations", () => {
  it("answers 503 naming the failing check", async () => {
    const bare = await startTestServer({
      MIGRATE_ON_START: "false",
      FIRST_ADMIN_EMAIL: "",
      FIRST_ADMIN_PASSWORD: "",
    });
    try {
      const res = await http(bare.url, "GET", "/readyz");
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        status: "not_ready",
        checks: { database: "migrations have not been applied" },
      });
      await bare.running.database.migrate();
      expect((await http(bare.url, "GET", "/readyz")).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe("production mode behind a TLS proxy", () => {
  let prod: TestServer;
  beforeAll(async () => {
    prod = await startTestServer({
      NODE_ENV: "production",
      TRUST_PROXY: "loopback",
      MIGRATE_ON_START: "true",
      PUBLIC_ORIGINS: "https://api.example.com",
    });
  });
  afterAll(async () => {
    await prod.close();
  });

  it("redirects plain-HTTP GETs and refuses other plain-HTTP methods with 426", async () => {
    const get = await http(prod.url, "GET", "/v1/me", {
      headers: { "x-forwarded-proto": "http", "x-forwarded-host": "api.example.com" },
    });
    expect(get.status).toBe(308);
    expect(get.headers.get("location")).toBe("https://api.example.com/v1/me");
    // Only to a configured public origin: a forged Host is not reflected into the redirect.
    const forgeries: Record<string, string>[] = [
      { "x-forwarded-proto": "http", "x-forwarded-host": "evil.example" },
      { "x-forwarded-proto": "http", host: "evil.example" },
    ];
    for (const headers of forgeries) {
      const forged = await http(prod.url, "GET", "/v1/me", { headers });
      expect(forged.status).toBe(426);
      expect(forged.headers.get("location")).toBeNull();
      expect(ErrorResponseSchema.parse(forged.body).code).toBe("HTTPS_REQUIRED");
    }
    const post = await http(prod.url, "POST", "/v1/auth/login", {
      body: { email: "a@example.com", password: PASSWORD },
    });
    expect(post.status).toBe(426);
    expect(ErrorResponseSchema.parse(post.body).code).toBe("HTTPS_REQUIRED");
  });

  it("serves HTTPS requests with HSTS for a year including subdomains", async () => {
    const res = await http(prod.url, "POST", "/v1/auth/login", {
      body: { email: "admin@example.com", password: "violet-tugboat-47-quartz" },
      headers: { "x-forwarded-proto": "https" },
    });
    expect(res.status).toBe(200);
    const hsts = res.headers.get("strict-transport-security") ?? "";
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000);
    expect(hsts).toContain("includeSubDomains");
  });

  it("keeps probes reachable over plain HTTP", async () => {
    expect((await http(prod.url, "GET", "/healthz")).status).toBe(200);
  });
});
