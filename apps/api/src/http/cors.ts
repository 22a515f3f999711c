import type { NextFunction, Request, Response } from "express";
import cors from "cors";

import { sendError } from "./errors";

/** CORS for the allowlisted origins only; a preflight from any other origin is refused outright. */
export function corsAllowlist(origins: string[]) {
  const allowed = new Set(origins);
  const handler = cors({
    origin: (origin, callback) => {
      callback(null, origin !== undefined && allowed.has(origin));
    },
    methods: ["GET", "POST", "PUT", "DELETE"],
    allowedHeaders: [
      "Authorization",
      "Content-Type",
      "Idempotency-Key",
      "X-Request-ID",
      "trpc-accept",
    ],
    exposedHeaders: ["X-Request-ID", "Idempotent-Replayed", "Retry-After"],
    maxAge: 600,
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.get("origin");
    if (req.method === "OPTIONS" && origin !== undefined && !allowed.has(origin)) {
      sendError(res, "FORBIDDEN", "Origin not allowed");
      return;
    }
    handler(req, res, next);
  };
}
