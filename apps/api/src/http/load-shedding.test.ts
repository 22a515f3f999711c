import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";

import { ErrorResponseSchema } from "@runway/contracts";

import type { LoadSheddingOptions, PressureSource } from "./load-shedding";
import { loadShedding, pressureSource } from "./load-shedding";
import { requestId } from "./request-id";

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => {
    if (server)
      server.close(() => {
        resolve();
      });
    else resolve();
  });
  server = undefined;
});

/** A pressure source the test sets by hand: no timing involved. */
function fakeDelay(initial: number, latency = 0) {
  const state = { delay: initial, latency, recorded: 0 };
  const source: PressureSource & { set(ms: number): void; setLatency(ms: number): void } = {
    delayMs: () => state.delay,
    latencyMs: () => state.latency,
    record: () => {
      state.recorded++;
    },
    stop: () => undefined,
    set: (ms) => (state.delay = ms),
    setLatency: (ms) => (state.latency = ms),
  };
  return Object.assign(source, { state });
}

async function serve(options: LoadSheddingOptions, source: PressureSource, gate?: Promise<void>) {
  const shed: string[] = [];
  const app = express();
  app.use(requestId);
  app.use(loadShedding(options, source, (reason) => shed.push(reason)));
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/v1/slow", async (_req, res) => {
    await gate;
    res.json({ ok: true });
  });
  app.get("/v1/me", (_req, res) => {
    res.json({ ok: true });
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server?.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${String(port)}`, shed };
}

const options = { maxEventLoopDelayMs: 200, maxInFlight: 0, maxLatencyMs: 0, retryAfterSeconds: 3 };

describe("load shedding", () => {
  it("answers 503 SERVICE_UNAVAILABLE with Retry-After while the event loop lags", async () => {
    const delay = fakeDelay(500);
    const { base, shed } = await serve(options, delay);
    const res = await fetch(`${base}/v1/me`, { headers: { "x-request-id": "shed-1" } });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(ErrorResponseSchema.parse(await res.json())).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      requestId: "shed-1",
    });
    expect(shed).toEqual(["event_loop"]);

    delay.set(20);
    expect((await fetch(`${base}/v1/me`)).status).toBe(200);
  });

  it("never sheds probes", async () => {
    const { base } = await serve({ ...options, maxInFlight: 1 }, fakeDelay(10_000));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("sheds beyond the in-flight cap and admits again once a request finishes", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { base, shed } = await serve(
      { maxEventLoopDelayMs: 0, maxInFlight: 1, maxLatencyMs: 0, retryAfterSeconds: 1 },
      fakeDelay(10_000),
      gate,
    );
    const slow = fetch(`${base}/v1/slow`);
    // The slow request is in flight once the shedder counted it: poll until it is refused.
    let refused: Response | undefined;
    while (!refused) {
      const res = await fetch(`${base}/v1/me`);
      if (res.status === 503) refused = res;
    }
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(shed).toContain("in_flight");
    release();
    expect((await slow).status).toBe(200);
    expect((await fetch(`${base}/v1/me`)).status).toBe(200);
  });

  it("does nothing when both signals are off", async () => {
    const { base } = await serve(
      { maxEventLoopDelayMs: 0, maxInFlight: 0, maxLatencyMs: 0, retryAfterSeconds: 1 },
      fakeDelay(10_000),
    );
    expect((await fetch(`${base}/v1/me`)).status).toBe(200);
  });

  it("sheds while most recent responses were slow, and reports each admitted response", async () => {
    const pressure = fakeDelay(0, 900);
    const { base, shed } = await serve(
      { maxEventLoopDelayMs: 0, maxInFlight: 0, maxLatencyMs: 500, retryAfterSeconds: 2 },
      pressure,
    );
    const res = await fetch(`${base}/v1/me`);
    expect(res.status).toBe(503);
    expect(shed).toEqual(["latency"]);
    expect(pressure.state.recorded).toBe(0);
    pressure.setLatency(40);
    expect((await fetch(`${base}/v1/me`)).status).toBe(200);
    expect(pressure.state.recorded).toBe(1);
  });

  it("starts with no pressure measured", () => {
    const source = pressureSource(1000);
    expect(source.delayMs()).toBe(0);
    expect(source.latencyMs()).toBe(0);
    source.stop();
  });
});
