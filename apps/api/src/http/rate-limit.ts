import type { NextFunction, Request, Response } from "express";

import type { RateLimits } from "@runway/api";
import { clientBucket, RateLimitedError } from "@runway/api";

import { sendError } from "./errors";

const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

/** `/trpc/a,b,c` (commas escaped or not, as tRPC decodes them) is three calls, and costs three. */
export function callsIn(path: string): number {
  if (path.slice(0, 6).toLowerCase() !== "/trpc/") return 1;
  return path.split(/,|%2c/i).length;
}

/**
 * The per-client budget on every route, whatever its path spelling, counting every call of a
 * tRPC batch. The address is the
 * socket's unless TRUST_PROXY names the proxies allowed to say otherwise (express `req.ip`).
 */
export function ipRateLimit(limits: RateLimits) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (PROBES.has(req.path)) {
      next();
      return;
    }
    limits.consume("ip", clientBucket(req.ip), callsIn(req.path)).then(
      () => {
        next();
      },
      (error: unknown) => {
        if (error instanceof RateLimitedError) {
          for (const [header, value] of Object.entries(error.headers)) res.setHeader(header, value);
          sendError(res, "RATE_LIMITED", error.message);
        } else {
          next(error);
        }
      },
    );
  };
}
