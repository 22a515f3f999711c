import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FakeReceiver } from "@runway/test-harness";
import { sentryDsn, sentryEvents, startFakeReceiver } from "@runway/test-harness";

import type { TestServer } from "../test/harness";
import { http, newUser, startTestServer } from "../test/harness";

/**
 * 5xx reach error tracking, tagged with the request id and stripped of credentials and PII.
 * A local HTTP server stands in for Sentry's ingestion and records what it receives.
 */
let sentry: FakeReceiver;
let server: TestServer;

beforeAll(async () => {
  sentry = await startFakeReceiver("{}");
  server = await startTestServer({
    SENTRY_DSN: sentryDsn(sentry, "runwaykey", 7),
    SENTRY_ENVIRONMENT: "ci",
  });
});
afterAll(async () => {
  await server.close().catch(() => undefined);
  await sentry.close();
});

describe("Sentry on the API", () => {
  it("reports a 500 with its request id, and nothing about the caller", async () => {
    const user = await newUser(server.url);
    // 4xx are the client's business: not reported.
    await http(server.url, "GET", "/v1/imports/not-a-uuid", { token: user.tokens.accessToken });
    await server.running.database.close();
    const res = await http(server.url, "GET", "/v1/me", {
      token: user.tokens.accessToken,
      headers: { "x-request-id": "sentry-check-1", cookie: "session=abc123secret" },
    });
    expect(res.status).toBe(500);

    // Stopping the server flushes what error tracking queued: everything it will ever send.
    await server.running.stop();
    const events = sentryEvents(sentry);
    expect(events).toHaveLength(1);
    const [{ body, event }] = events as [{ body: string; event: Record<string, unknown> }];
    expect(event).toMatchObject({
      environment: "ci",
      level: "error",
      tags: { service: "api", requestId: "sentry-check-1" },
    });
    for (const leaked of [user.tokens.accessToken, user.email, "abc123secret"]) {
      expect(body).not.toContain(leaked);
    }
  });
});
