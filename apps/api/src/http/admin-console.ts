import type { NextFunction, Request, Response } from "express";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import express from "express";

import { sendError } from "./errors";

/** No inline script or style, nothing from elsewhere; the console talks to /trpc only. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

function strictCsp(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Content-Security-Policy", CONSOLE_CSP);
  next();
}

/**
 * Serves the console's build at /admin: hashed assets cached for a year, index.html revalidated
 * on every load (so a deploy is picked up at once), and any other /admin path answered with
 * index.html for the client-side router.
 */
export function adminConsole(dir: string, warn: (message: string) => void): express.Router {
  const router = express.Router();
  const indexPath = path.join(dir, "index.html");
  const built = existsSync(indexPath);
  if (!built) warn(`admin console not built (${indexPath} missing); run pnpm build:admin`);
  const index = built ? readFileSync(indexPath) : null;

  router.use(strictCsp);
  router.use(
    "/assets",
    express.static(path.join(dir, "assets"), {
      immutable: true,
      maxAge: "365d",
      index: false,
    }),
  );
  router.use("/assets", (_req, res) => {
    sendError(res, "NOT_FOUND", "No such asset");
  });
  router.get(/.*/, (_req, res) => {
    if (!index) {
      sendError(res, "NOT_FOUND", "The admin console is not built; run pnpm build:admin");
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.type("html").send(index);
  });
  return router;
}
