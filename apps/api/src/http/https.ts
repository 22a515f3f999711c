import type { NextFunction, Request, Response } from "express";

import { sendError } from "./errors";

/** Probes and scrapes reach pods directly over plain HTTP. */
const PLAIN_HTTP_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * Behind a TLS-terminating proxy (TRUST_PROXY), plain-HTTP requests are refused: GET and HEAD
 * are redirected, anything else gets 426 so no credentials travel in the clear twice.
 */
export function requireHttps(req: Request, res: Response, next: NextFunction): void {
  if (req.secure || PLAIN_HTTP_PATHS.has(req.path)) {
    next();
    return;
  }
  if (req.method === "GET" || req.method === "HEAD") {
    res.redirect(308, `https://${req.host}${req.originalUrl}`);
    return;
  }
  res.setHeader("Upgrade", "TLS/1.2, HTTP/1.1");
  sendError(res, "HTTPS_REQUIRED", "Use HTTPS");
}
