import type { NextFunction, Request, Response } from "express";

import type { Logger, Metrics } from "@runway/observability";

import { routeTemplate } from "./routes";

declare module "express-serve-static-core" {
  interface Locals {
    userId?: string;
  }
}

const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * One access line and one metrics observation per request, when the response is finished (or
 * the client went away): request id, user id when known, route template, status, duration.
 * Probes and scrapes log at debug, so they do not drown the lines that matter.
 */
export function observeRequests(logger: Logger, metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    // "close" follows every response: sent in full (writableFinished) or cut off by the client.
    res.once("close", () => {
      const seconds = (performance.now() - started) / 1000;
      const route = routeTemplate(req.originalUrl.split("?")[0] ?? "/");
      // A client that hung up before the response counts as 499, as nginx logs it.
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.observeRequest(req.method, route, status, seconds);
      const level = PROBES.has(route) ? "debug" : "info";
      // winston runs a filtered-out line through its whole stream pipeline before dropping it.
      if (!logger.isLevelEnabled(level)) return;
      logger.log(level, "request", {
        requestId: res.locals.requestId,
        ...(res.locals.userId ? { userId: res.locals.userId } : {}),
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
      });
    });
    next();
  };
}
