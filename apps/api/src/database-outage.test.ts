import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RestartablePostgresServer } from "@runway/test-harness";
import { ErrorResponseSchema } from "@runway/contracts";
import { startPostgres } from "@runway/test-harness";

import type { TestServer } from "../test/harness";
import { http, newUser, startTestServer } from "../test/harness";

/** A PostgreSQL of its own, so it can be stopped under the server. */
let pg: RestartablePostgresServer;
let server: TestServer;

beforeAll(async () => {
  pg = await startPostgres();
  server = await startTestServer({}, { postgresAdminUrl: pg.url });
}, 60_000);

afterAll(async () => {
  await server.close();
  await pg.stop();
});

describe("PostgreSQL away", () => {
  it("-> 503 SERVICE_UNAVAILABLE with Retry-After on /v1 and /trpc, /readyz 503, then recovers by itself", async () => {
    const user = await newUser(server.url);
    await pg.shutdown("fast");
    try {
      const started = Date.now();
      const rest = await http(server.url, "GET", "/v1/me", { token: user.tokens.accessToken });
      expect(rest.status).toBe(503);
      expect(rest.headers.get("retry-after")).toBe("2");
      expect(ErrorResponseSchema.parse(rest.body)).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        message: "The database is unavailable; retry after Retry-After",
      });
      const login = await http(server.url, "POST", "/v1/auth/login", {
        body: { email: user.email, password: "correct horse battery staple" },
      });
      expect(login.status).toBe(503);
      expect(login.headers.get("retry-after")).toBe("2");
      const trpc = await http(server.url, "GET", "/trpc/me.get", {
        token: user.tokens.accessToken,
      });
      expect(trpc.status).toBe(503);
      expect(trpc.headers.get("retry-after")).toBe("2");
      expect(trpc.body).toMatchObject({ error: { data: { code: "SERVICE_UNAVAILABLE" } } });
      expect((await http(server.url, "GET", "/readyz")).status).toBe(503);
      // Fails fast rather than waiting for the server to come back.
      expect(Date.now() - started).toBeLessThan(10_000);
      for (const body of [rest.text, login.text, trpc.text])
        expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres|stack/i);
    } finally {
      await pg.start();
    }
    await expect
      .poll(async () => (await http(server.url, "GET", "/readyz")).status, { timeout: 20_000 })
      .toBe(200);
    const me = await http(server.url, "GET", "/v1/me", { token: user.tokens.accessToken });
    expect(me.status).toBe(200);
  });
});
