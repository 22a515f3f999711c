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
  retryAfterSeconds: number;
}

/** Where the guard reads the event-loop delay (ms, median of the last interval); tests pass their own. */
export interface DelaySource {
  delayMs(): number;
  stop(): void;
}

/**
 * Samples `perf_hooks.monitorEventLoopDelay` and resets it every interval. The median, not a
 * tail percentile: one GC pause or a moment without a CPU should not shed a whole interval's
 * traffic; a loop that is late on most of its ticks is saturated.
 */
export function eventLoopDelaySource(intervalMs = 500): DelaySource {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = 0;
  const timer = setInterval(() => {
    last = histogram.count > 0 ? histogram.percentile(50) / 1e6 : 0;
    histogram.reset();
  }, intervalMs);
  timer.unref();
  return {
    delayMs: () => last,
    stop: () => {
      clearInterval(timer);
      histogram.disable();
    },
  };
}

/**
 * Sheds load before the heavy work: while the process is saturated (event loop lagging, or too
 * many requests in flight) a new user request gets 503 SERVICE_UNAVAILABLE with Retry-After at
 * once instead of queueing until the client times out. Probes and scrapes are never shed, so an
 * overloaded replica stays "live" and observable.
 */
export function loadShedding(
  options: LoadSheddingOptions,
  source: DelaySource,
  onShed: (reason: "event_loop" | "in_flight") => void = () => undefined,
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
          : null;
    if (reason) {
      onShed(reason);
      res.setHeader("Retry-After", String(options.retryAfterSeconds));
      sendError(res, "SERVICE_UNAVAILABLE", "The service is busy; retry after the given delay");
      return;
    }
    inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight--;
    };
    res.once("finish", finish);
    res.once("close", finish);
    next();
  };
}
