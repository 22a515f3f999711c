import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FakeReceiver, RedisServer, RestartablePostgresServer } from "@runway/test-harness";
import { createCapturingLogger } from "@runway/observability";
import { startFakeReceiver, startPostgres, startRedis } from "@runway/test-harness";

import type { TestServer } from "../test/harness";
import { adminTokens, http, startTestServer } from "../test/harness";

/**
 * The in-process alerter of a real API, against local receivers standing in for Slack and
 * PagerDuty. It serves the single process (no REDIS_URL): PostgreSQL goes away (readiness
 * fails), then comes back. With REDIS_URL (replicas) the hooks stay off: Alertmanager pages.
 */
let pg: RestartablePostgresServer;
let redis: RedisServer;
let slack: FakeReceiver;
let pagerduty: FakeReceiver;
let embedded: TestServer;
let replica: TestServer;
const replicaLogs = createCapturingLogger("api");

const hooks = () => ({
  SLACK_WEBHOOK_URL: `${slack.url}/services/T1/B2/C3`,
  PAGERDUTY_ROUTING_KEY: "R0UT1NGKEY",
  PAGERDUTY_EVENTS_URL: `${pagerduty.url}/v2/enqueue`,
  ALERT_INTERVAL_MS: "200",
  ALERT_READINESS_FAILURES: "2",
});

beforeAll(async () => {
  pg = await startPostgres();
  redis = await startRedis();
  slack = await startFakeReceiver("ok");
  pagerduty = await startFakeReceiver('{"status":"success"}');
  embedded = await startTestServer(hooks(), { postgresAdminUrl: pg.url });
  replica = await startTestServer(
    { ...hooks(), REDIS_URL: redis.url },
    { logger: replicaLogs.logger },
  );
}, 60_000);
afterAll(async () => {
  await replica.close();
  await embedded.close();
  await Promise.all([slack.close(), pagerduty.close(), redis.destroy()]);
  await pg.stop();
});

const events = () =>
  pagerduty.received.map(
    (r) => JSON.parse(r.body) as { event_action: string; dedup_key: string; routing_key: string },
  );

describe("alert hooks on a live API", () => {
  it("single process: pages once while PostgreSQL is down and resolves when it is back", async () => {
    // Healthy: Slack hears nothing; PagerDuty gets one resolve per rule at start (closing any
    // incident an earlier process opened).
    await expect.poll(() => events().length, { timeout: 20_000 }).toBe(4);
    expect(events().map((e) => e.event_action)).toEqual([
      "resolve",
      "resolve",
      "resolve",
      "resolve",
    ]);
    expect(slack.received).toHaveLength(0);
    pagerduty.received.length = 0;

    await pg.shutdown("fast");
    await expect.poll(() => events().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect((await http(embedded.url, "GET", "/readyz")).status).toBe(503);
    await pg.start();
    await expect.poll(() => events().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    // One trigger for the whole outage, however many evaluations saw it, then one resolve.
    expect(events()).toEqual([
      {
        routing_key: "R0UT1NGKEY",
        event_action: "trigger",
        dedup_key: "runway/readiness_failing",
        payload: expect.objectContaining({
          severity: "critical",
          custom_details: expect.objectContaining({ failing: "database" }) as unknown,
        }) as unknown,
      },
      { routing_key: "R0UT1NGKEY", event_action: "resolve", dedup_key: "runway/readiness_failing" },
    ]);
    const texts = slack.received.map((r) => (JSON.parse(r.body) as { text: string }).text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/FIRING.*readiness_failing/);
    expect(texts[1]).toMatch(/RESOLVED.*readiness_failing/);
  });

  it("with REDIS_URL: no in-process alerter (Alertmanager's job), and Redis away is a clear 503", async () => {
    expect(replica.running.alerter).toBeNull();
    expect(embedded.running.alerter).not.toBeNull();
    expect(replicaLogs.lines.join("")).toContain("alert hooks are off with REDIS_URL");

    await redis.stop({ crash: true });
    expect((await http(replica.url, "GET", "/readyz")).status).toBe(503);
    // The admin console gets a clear 503 for queue figures, not a 500.
    const admin = await adminTokens(replica.url);
    const summary = await http(replica.url, "GET", "/v1/admin/metrics", {
      token: admin.accessToken,
    });
    expect(summary.status).toBe(503);
    expect(summary.body).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    await redis.start();
  });
});
