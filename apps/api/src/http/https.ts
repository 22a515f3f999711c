import type { NextFunction, Request, Response } from "express";

import { sendError } from "./errors";

/** Probes and scrapes reach pods directly over plain HTTP. */
const PLAIN_HTTP_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * Behind a TLS-terminating proxy (TRUST_PROXY), plain-HTTP requests are refused: GET and HEAD
 * are redirected, anything else gets 426 so no credentials travel in the clear twice. The
 * redirect goes only to a configured public origin (PUBLIC_ORIGINS), never to whatever Host the
 * request claimed, so it cannot send a client to someone else's site.
 */
export function requireHttps(publicOrigins: string[]) {
  const hosts = new Map(publicOrigins.map((origin) => [new URL(origin).host, origin]));
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.secure || PLAIN_HTTP_PATHS.has(req.path)) {
      next();
      return;
    }
    // req.host: the Host header, or X-Forwarded-Host from a trusted proxy.
    const origin = hosts.get(req.host.toLowerCase());
    if (origin && (req.method === "GET" || req.method === "HEAD")) {
      res.redirect(308, `${origin}${req.originalUrl}`);
      return;
    }
    res.setHeader("Upgrade", "TLS/1.2, HTTP/1.1");
    sendError(res, "HTTPS_REQUIRED", "Use HTTPS");
  };
}
