import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Alerter } from "@runway/observability";
import type { FakeReceiver, RedisServer } from "@runway/test-harness";
import { startFakeReceiver, startRedis } from "@runway/test-harness";

import type { TestServer } from "../test/harness";
import { adminTokens, http, startTestServer } from "../test/harness";

/**
 * The in-process alerter of a real API, against local receivers standing in for Slack and
 * PagerDuty: Redis goes away (readiness fails), then comes back. The test runs the evaluations
 * itself (the schedule is an hour), so "no second page" means after these evaluations, not
 * after some wall-clock time; the schedule has its own test in packages/observability.
 */
let redis: RedisServer;
let slack: FakeReceiver;
let pagerduty: FakeReceiver;
let server: TestServer;

beforeAll(async () => {
  redis = await startRedis();
  slack = await startFakeReceiver("ok");
  pagerduty = await startFakeReceiver('{"status":"success"}');
  server = await startTestServer({
    REDIS_URL: redis.url,
    SLACK_WEBHOOK_URL: `${slack.url}/services/T1/B2/C3`,
    PAGERDUTY_ROUTING_KEY: "R0UT1NGKEY",
    PAGERDUTY_EVENTS_URL: `${pagerduty.url}/v2/enqueue`,
    ALERT_INTERVAL_MS: "3600000",
    ALERT_READINESS_FAILURES: "2",
  });
});
afterAll(async () => {
  await server.close();
  await Promise.all([slack.close(), pagerduty.close(), redis.destroy()]);
});

const events = () =>
  pagerduty.received.map(
    (r) => JSON.parse(r.body) as { event_action: string; dedup_key: string; routing_key: string },
  );

function alerter(): Alerter {
  const running = server.running.alerter;
  if (!running) throw new Error("the API started without an alerter");
  return running;
}

/** `count` evaluations, one after another, as the schedule would run them. */
async function evaluate(count = 1) {
  for (let i = 0; i < count; i++) await alerter().evaluate();
}

describe("alert hooks on a live API", () => {
  it("pages once while Redis is down and resolves when it is back", async () => {
    // Healthy: Slack hears nothing; PagerDuty gets one resolve per rule at start (closing any
    // incident an earlier process opened), then nothing.
    await evaluate(3);
    expect(slack.received).toHaveLength(0);
    expect(events().map((e) => e.event_action)).toEqual([
      "resolve",
      "resolve",
      "resolve",
      "resolve",
    ]);
    pagerduty.received.length = 0;

    await redis.stop({ crash: true });
    // The alert rule reads the same probe as /readyz: evaluate once the API has noticed.
    await expect.poll(async () => (await http(server.url, "GET", "/readyz")).status).toBe(503);
    // ALERT_READINESS_FAILURES is 2: the first failing evaluation does not page yet.
    await evaluate();
    expect(events()).toHaveLength(0);
    await evaluate();
    expect(events()).toHaveLength(1);
    // The admin console gets a clear 503 for queue figures, not a 500.
    const admin = await adminTokens(server.url);
    const summary = await http(server.url, "GET", "/v1/admin/metrics", {
      token: admin.accessToken,
    });
    expect(summary.status).toBe(503);
    expect(summary.body).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    // Still down for several more evaluations: no second page.
    await evaluate(3);
    expect(events()).toEqual([
      {
        routing_key: "R0UT1NGKEY",
        event_action: "trigger",
        dedup_key: "runway/readiness_failing",
        payload: expect.objectContaining({
          severity: "critical",
          custom_details: expect.objectContaining({ failing: "redis" }) as unknown,
        }) as unknown,
      },
    ]);

    await redis.start();
    await expect
      .poll(async () => (await http(server.url, "GET", "/readyz")).status, {
        timeout: 20_000,
      })
      .toBe(200);
    await evaluate();
    expect(events()[1]).toEqual({
      routing_key: "R0UT1NGKEY",
      event_action: "resolve",
      dedup_key: "runway/readiness_failing",
    });
    expect(events()).toHaveLength(2);
    const texts = slack.received.map((r) => (JSON.parse(r.body) as { text: string }).text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/FIRING.*readiness_failing/);
    expect(texts[1]).toMatch(/RESOLVED.*readiness_failing/);
  });
});
