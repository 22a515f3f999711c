import type { NextFunction, Request, Response } from "express";
import type { IntervalHistogram } from "node:perf_hooks";
import { monitorEventLoopDelay } from "node:perf_hooks";

import { sendError } from "./errors";

const EXEMPT = new Set(["/healthz", "/readyz", "/metrics"]);

export interface LoadSheddingOptions {
  /** Shed while the event loop's median delay over the last interval is above this; 0: off. */
  maxEventLoopDelayMs: number;
  /** Shed while this many requests are already being served; 0 turns it off. */
  maxInFlight: number;
  /** Shed while the median response time over the last interval is above this; 0: off. */
  maxLatencyMs: number;
  retryAfterSeconds: number;
}

/**
 * Where the guard reads the pressure on the process, as medians over the last interval (ms):
 * the event loop's delay, and the response time of the requests it let through (which it
 * reports with `record`). Tests pass their own.
 */
export interface PressureSource {
  delayMs(): number;
  latencyMs(): number;
  record(durationMs: number): void;
  stop(): void;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/**
 * Samples `perf_hooks.monitorEventLoopDelay` and the response times, and resets both every
 * interval. Medians, not tail percentiles: one GC pause or one slow import should not shed a
 * whole interval's traffic; a loop late on most ticks, or most requests slow, is saturation
 * (the second catches requests queueing for the database pool or argon2 threads while the
 * event loop itself stays responsive).
 */
export function pressureSource(intervalMs = 500): PressureSource {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let delay = 0;
  let latency = 0;
  let durations: number[] = [];
  const timer = setInterval(() => {
    delay = histogram.count > 0 ? histogram.percentile(50) / 1e6 : 0;
    histogram.reset();
    latency = median(durations);
    durations = [];
  }, intervalMs);
  timer.unref();
  return {
    delayMs: () => delay,
    latencyMs: () => latency,
    record: (durationMs) => {
      durations.push(durationMs);
    },
    stop: () => {
      clearInterval(timer);
      histogram.disable();
    },
  };
}

/**
 * Sheds load before the heavy work: while the process is saturated (event loop lagging, most
 * requests slow, or too many in flight) a new user request gets 503 SERVICE_UNAVAILABLE with Retry-After at
 * once instead of queueing until the client times out. Probes and scrapes are never shed, so an
 * overloaded replica stays "live" and observable.
 */
export function loadShedding(
  options: LoadSheddingOptions,
  source: PressureSource,
  onShed: (reason: "event_loop" | "in_flight" | "latency") => void = () => undefined,
) {
  let inFlight = 0;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (EXEMPT.has(req.path)) {
      next();
      return;
    }
    const reason =
      options.maxInFlight > 0 && inFlight >= options.maxInFlight
        ? "in_flight"
        : options.maxEventLoopDelayMs > 0 && source.delayMs() > options.maxEventLoopDelayMs
          ? "event_loop"
          : options.maxLatencyMs > 0 && source.latencyMs() > options.maxLatencyMs
            ? "latency"
            : null;
    if (reason) {
      onShed(reason);
      res.setHeader("Retry-After", String(options.retryAfterSeconds));
      sendError(res, "SERVICE_UNAVAILABLE", "The service is busy; retry after the given delay");
      return;
    }
    inFlight++;
    const started = performance.now();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight--;
      source.record(performance.now() - started);
    };
    res.once("finish", finish);
    res.once("close", finish);
    next();
  };
}
