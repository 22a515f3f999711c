import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

import { ErrorResponseSchema } from "@runway/contracts";

import { http, newUser, PASSWORD, useTestServer } from "../test/harness";

/**
 * Findings of the attack pass at the HTTP layer: bodies that crashed a parser (500s), cacheable
 * token responses, HTTP semantics the adapters got wrong, and request ids missing from errors.
 */
const api = useTestServer();

const deep = (n: number) => "[".repeat(n) + "]".repeat(n);

function expectEnvelope(res: { status: number; body: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  const envelope = ErrorResponseSchema.parse(res.body);
  expect(envelope.code).toBe(code);
  expect(envelope.requestId).toBeTruthy();
}

describe("bodies that used to crash a parser", () => {
  it("refuses JSON nested 5,000 deep with 400 on both surfaces, in bodies and in tRPC query input", async () => {
    const json = { "content-type": "application/json" };
    expectEnvelope(
      await api.call("POST", "/v1/auth/login", { raw: deep(5000), headers: json }),
      400,
      "BAD_REQUEST",
    );
    for (const path of ["/trpc/auth.login", "/trpc/auth.login?batch=1"]) {
      const trpc = await api.call("POST", path, { raw: `{"0":${deep(5000)}}`, headers: json });
      expect(trpc.status).toBe(400);
      expect(trpc.text).toContain("BAD_REQUEST");
    }
    const query = await api.call("GET", `/trpc/me.get?input=${encodeURIComponent(deep(2000))}`);
    expectEnvelope(query, 400, "BAD_REQUEST");
    // Depth inside strings is text, not nesting.
    const text = await api.call("POST", "/v1/auth/login", {
      body: { email: "a@example.com", password: deep(60) },
    });
    expect(text.status).toBe(401);
  });

  it("refuses compressed or broken content codings with 415 before parsing", async () => {
    const body = JSON.stringify({ email: "a@example.com", password: PASSWORD });
    for (const [coding, raw] of [
      ["gzip", "garbage"],
      ["br", "garbage"],
      ["deflate", "garbage"],
      ["gzip", gzipSync(body).toString("latin1")],
    ] as const) {
      for (const path of ["/v1/auth/login", "/trpc/auth.login"]) {
        const res = await api.call("POST", path, {
          raw,
          headers: { "content-type": "application/json", "content-encoding": coding },
        });
        expectEnvelope(res, 415, "UNSUPPORTED_MEDIA_TYPE");
      }
    }
  });
});

describe("nothing token-like can be cached", () => {
  it("sends Cache-Control: no-store and Pragma: no-cache on token and authenticated responses of both surfaces", async () => {
    const user = await newUser(api.base);
    const responses = [
      await http(api.base, "POST", "/v1/auth/register", {
        body: { email: `cache.${Date.now()}@example.com`, password: PASSWORD },
      }),
      await http(api.base, "POST", "/v1/auth/login", {
        body: { email: user.email, password: PASSWORD },
      }),
      await http(api.base, "POST", "/v1/auth/refresh", {
        body: { refreshToken: user.tokens.refreshToken },
      }),
      await http(api.base, "GET", "/v1/me", { token: user.tokens.accessToken }),
      await http(api.base, "GET", "/trpc/me.get", { token: user.tokens.accessToken }),
      await http(api.base, "POST", "/trpc/auth.login", {
        body: { email: user.email, password: PASSWORD },
      }),
    ];
    for (const res of responses) {
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("pragma")).toBe("no-cache");
    }
  });
});

describe("HTTP semantics", () => {
  it("takes the Bearer scheme in any case and media types in any case", async () => {
    const user = await newUser(api.base);
    for (const scheme of ["bearer", "BEARER", "Bearer"]) {
      const res = await http(api.base, "GET", "/v1/me", {
        headers: { authorization: `${scheme} ${user.tokens.accessToken}` },
      });
      expect(res.status).toBe(200);
    }
    for (const type of ["application/JSON", "Application/Json; charset=UTF-8"]) {
      const res = await http(api.base, "POST", "/v1/auth/login", {
        raw: JSON.stringify({ email: user.email, password: PASSWORD }),
        headers: { "content-type": type },
      });
      expect(res.status).toBe(200);
    }
  });

  it("answers HEAD wherever GET works, with GET's status and headers and no body", async () => {
    const user = await newUser(api.base);
    for (const path of ["/v1/me", "/v1/imports?limit=5", "/trpc/me.get"]) {
      const get = await http(api.base, "GET", path, { token: user.tokens.accessToken });
      const head = await http(api.base, "HEAD", path, { token: user.tokens.accessToken });
      expect(get.status).toBe(200);
      expect(head.status).toBe(200);
      expect(head.text).toBe("");
      expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
    }
    expect((await http(api.base, "HEAD", "/v1/me")).status).toBe(401);
    const refused = await http(api.base, "PATCH", "/v1/me");
    expect(refused.status).toBe(405);
    expect(refused.headers.get("allow")).toBe("GET, HEAD");
  });

  it("puts the request id in every tRPC error, even those raised before a context exists", async () => {
    const tooBig = `/trpc/${Array(11).fill("me.get").join(",")}?batch=1`;
    const cases = [
      await http(api.base, "PATCH", "/trpc/me.get", { headers: { "x-request-id": "trpc-1" } }),
      await http(api.base, "GET", tooBig, { headers: { "x-request-id": "trpc-2" } }),
      await http(api.base, "GET", "/trpc/nope.nope", { headers: { "x-request-id": "trpc-3" } }),
      await http(api.base, "GET", "/trpc/me.get", { headers: { "x-request-id": "trpc-4" } }),
    ];
    cases.forEach((res, i) => {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body).toMatchObject({ error: { data: { requestId: `trpc-${i + 1}` } } });
    });
  });
});
