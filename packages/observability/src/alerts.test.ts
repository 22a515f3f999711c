import { afterEach, describe, expect, it, vi } from "vitest";

import type { FakeReceiver } from "@runway/test-harness";
import { startFakeReceiver } from "@runway/test-harness";

import type { AlertProbes } from "./alert-rules";
import type { AlertRule } from "./alerts";
import { runwayAlertRules } from "./alert-rules";
import { Alerter, pagerDutyNotifier, slackNotifier } from "./alerts";
import { createCapturingLogger } from "./logger";
import { createMetrics } from "./metrics";
import { MetricsWindow } from "./window";

const receivers: FakeReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const limits = {
  windowSeconds: 300,
  errorRatio: 0.05,
  minRequests: 20,
  queueAgeSeconds: 300,
  readinessFailures: 2,
};

interface PagerDutyEvent {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload?: { summary: string; severity: string; custom_details: Record<string, unknown> };
}

async function setup(probeOverrides: Partial<AlertProbes> = {}) {
  const slack = await startFakeReceiver("ok");
  const pagerduty = await startFakeReceiver('{"status":"success","dedup_key":"x"}');
  receivers.push(slack, pagerduty);
  const metrics = createMetrics("api");
  let now = 0;
  const state = { oldest: null as number | null, newDeadLetters: 0, ready: true };
  const window = new MetricsWindow(metrics, 15 * 60_000, () => now);
  const probes: AlertProbes = {
    window,
    oldestWaitingAgeSeconds: () => Promise.resolve(state.oldest),
    newDeadLetters: () => Promise.resolve(state.newDeadLetters),
    readiness: () =>
      Promise.resolve(state.ready ? { database: "ok" } : { database: "unreachable" }),
    ...probeOverrides,
  };
  const { logger, lines } = createCapturingLogger("api");
  const alerter = new Alerter(
    runwayAlertRules(limits, probes),
    [
      slackNotifier(`${slack.url}/services/T000/B000/XXXX`),
      pagerDutyNotifier("routing-key-1234", `${pagerduty.url}/v2/enqueue`),
    ],
    logger,
    "runway-api@test",
  );
  const events = () => pagerduty.received.map((r) => JSON.parse(r.body) as PagerDutyEvent);
  /** Triggers, and resolves of incidents this process opened (not the start-up resolves). */
  const pages = () => {
    const opened = new Set<string>();
    return events().filter((event) => {
      if (event.event_action === "trigger") opened.add(event.dedup_key);
      return event.event_action === "trigger" || opened.has(event.dedup_key);
    });
  };
  return {
    slack,
    pagerduty,
    metrics,
    window,
    state,
    alerter,
    lines,
    events,
    pages,
    advance: (ms: number) => (now += ms),
  };
}

describe("alert hooks", () => {
  it("pages once for an ongoing 5xx incident and resolves it with the same dedup key", async () => {
    const t = await setup();
    await t.window.tick();
    await t.alerter.evaluate();
    expect(t.pages()).toHaveLength(0);

    for (let i = 0; i < 30; i++) t.metrics.observeRequest("GET", "/v1/me", 200, 0.01);
    for (let i = 0; i < 10; i++) t.metrics.observeRequest("GET", "/v1/me", 500, 0.01);
    await t.alerter.evaluate();
    await t.alerter.evaluate();
    await t.alerter.evaluate();

    expect(t.pages()).toHaveLength(1);
    const [trigger] = t.pages();
    expect(trigger).toMatchObject({
      routing_key: "routing-key-1234",
      event_action: "trigger",
      dedup_key: "runway/high_5xx_ratio",
      payload: { severity: "critical", custom_details: { serverErrorRatio: 0.25, requests: 40 } },
    });
    expect(t.slack.received).toHaveLength(1);
    expect(t.slack.received[0]?.path).toBe("/services/T000/B000/XXXX");
    expect(JSON.parse(t.slack.received[0]!.body)).toMatchObject({
      text: expect.stringContaining("[FIRING]") as unknown,
    });

    // The window moves past the errors; only good traffic since: the incident clears.
    t.advance(301_000);
    await t.window.tick();
    for (let i = 0; i < 30; i++) t.metrics.observeRequest("GET", "/v1/me", 200, 0.01);
    t.advance(310_000);
    await t.alerter.evaluate();
    await t.alerter.evaluate();
    expect(t.pages().map((p) => `${p.event_action} ${p.dedup_key}`)).toEqual([
      "trigger runway/high_5xx_ratio",
      "resolve runway/high_5xx_ratio",
    ]);
    expect(t.slack.received).toHaveLength(2);
  });

  it("resolves when the condition clears, and only then", async () => {
    const t = await setup();
    t.state.oldest = 900;
    await t.alerter.evaluate();
    await t.alerter.evaluate();
    t.state.oldest = 12;
    await t.alerter.evaluate();
    await t.alerter.evaluate();
    expect(t.pages().map((p) => `${p.event_action} ${p.dedup_key}`)).toEqual([
      "trigger runway/import_queue_stalled",
      "resolve runway/import_queue_stalled",
    ]);
    const slackTexts = t.slack.received.map((r) => (JSON.parse(r.body) as { text: string }).text);
    expect(slackTexts).toHaveLength(2);
    expect(slackTexts[1]).toContain("[RESOLVED]");
    expect(t.alerter.active()).toEqual([]);
  });

  it("fires while new dead letters appeared within the window and clears after", async () => {
    const t = await setup();
    t.state.newDeadLetters = 1;
    await t.alerter.evaluate();
    await t.alerter.evaluate();
    expect(t.alerter.active()).toEqual(["dead_letters_growing"]);
    t.state.newDeadLetters = 0;
    await t.alerter.evaluate();
    expect(t.alerter.active()).toEqual([]);
    expect(t.pages().map((p) => `${p.event_action} ${p.dedup_key}`)).toEqual([
      "trigger runway/dead_letters_growing",
      "resolve runway/dead_letters_growing",
    ]);
  });

  it("resolves every quiet rule at PagerDuty once at start (an incident a restart forgot)", async () => {
    const t = await setup();
    await t.alerter.evaluate();
    await t.alerter.evaluate();
    expect(t.events().map((e) => `${e.event_action} ${e.dedup_key}`)).toEqual([
      "resolve runway/high_5xx_ratio",
      "resolve runway/import_queue_stalled",
      "resolve runway/dead_letters_growing",
      "resolve runway/readiness_failing",
    ]);
    expect(t.slack.received).toHaveLength(0);
  });

  it("pages on readiness only after consecutive failures", async () => {
    const t = await setup();
    t.state.ready = false;
    await t.alerter.evaluate();
    expect(t.pages()).toHaveLength(0);
    await t.alerter.evaluate();
    expect(t.pages()).toMatchObject([
      { event_action: "trigger", dedup_key: "runway/readiness_failing" },
    ]);
    t.state.ready = true;
    await t.alerter.evaluate();
    expect(t.pages().map((p) => p.event_action)).toEqual(["trigger", "resolve"]);
  });

  it("keeps telling a receiver that was down until it has heard, without paging twice", async () => {
    const t = await setup();
    await t.alerter.evaluate();
    t.pagerduty.failNext(1, 503);
    t.slack.failNext(1, 500);
    t.state.oldest = 900;
    await t.alerter.evaluate();
    expect(t.pages()).toHaveLength(0);
    expect(t.slack.received).toHaveLength(0);
    const logged = t.lines.join("");
    expect(logged).toContain("alert delivery failed");
    expect(logged).toContain("slack answered 500");
    // The webhook URL is a secret: never in a log line.
    expect(logged).not.toContain("XXXX");
    await t.alerter.evaluate();
    await t.alerter.evaluate();
    expect(t.pages()).toHaveLength(1);
    expect(t.slack.received).toHaveLength(1);
  });

  it("ignores a trickle of traffic below the minimum request count", async () => {
    const t = await setup();
    for (let i = 0; i < 5; i++) t.metrics.observeRequest("GET", "/v1/me", 500, 0.01);
    await t.alerter.evaluate();
    expect(t.pages()).toHaveLength(0);
  });

  it("evaluates on its interval, one evaluation at a time, and not after stop", async () => {
    vi.useFakeTimers();
    try {
      let evaluations = 0;
      let finish: () => void = () => undefined;
      const rule: AlertRule = {
        name: "probe",
        severity: "warning",
        summary: "counts its evaluations",
        evaluate: () => {
          evaluations++;
          return new Promise((resolve) => {
            finish = () => {
              resolve({ firing: false, details: {} });
            };
          });
        },
      };
      const alerter = new Alerter([rule], [], createCapturingLogger("api").logger, "test");
      alerter.start(1000);
      await vi.advanceTimersByTimeAsync(999);
      expect(evaluations).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(evaluations).toBe(1);
      // A slow evaluation is not overlapped by the next tick.
      await vi.advanceTimersByTimeAsync(2000);
      expect(evaluations).toBe(1);
      finish();
      await vi.advanceTimersByTimeAsync(1000);
      expect(evaluations).toBe(2);
      finish();
      await alerter.stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(evaluations).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
