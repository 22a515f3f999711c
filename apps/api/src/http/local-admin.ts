import type { Request, Response } from "express";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import express from "express";

import type { Core } from "@runway/core";
import { LoginInputSchema } from "@runway/contracts";
import { AppError, ensureAdmin } from "@runway/core";

import { sendError } from "./errors";

/** Where the embedded server tells `pnpm admin:create` how to reach it. */
export const localAdminFile = (dataDir: string) => path.join(dataDir, "admin-create.json");

const isLoopback = (ip: string | undefined) =>
  ip === "127.0.0.1" || ip === "::1" || ip === "::ffff:127.0.0.1";

/**
 * The embedded database (PGlite) is one process's alone, so while `pnpm start` runs,
 * `pnpm admin:create` asks the server to create the admin instead of opening the database.
 * It proves it runs on this machine as the server's user by reading a random token from
 * DATA_DIR (mode 0600), which holds the database itself; loopback callers only.
 */
export function localAdminRoute(core: Core, token: string): express.Router {
  const expected = Buffer.from(token);
  const router = express.Router();
  router.post("/", express.json({ limit: "4kb" }), async (req: Request, res: Response) => {
    const given = Buffer.from(/^Bearer (\S+)$/.exec(req.get("authorization") ?? "")?.[1] ?? "");
    const valid = given.length === expected.length && timingSafeEqual(given, expected);
    if (!valid || !isLoopback(req.socket.remoteAddress)) {
      sendError(res, "FORBIDDEN", "Not allowed");
      return;
    }
    const input = LoginInputSchema.safeParse(req.body);
    if (!input.success) {
      sendError(res, "VALIDATION_FAILED", "Input validation failed");
      return;
    }
    try {
      res.json(await ensureAdmin(core, input.data.email, input.data.password));
    } catch (error) {
      if (error instanceof AppError) sendError(res, error.code, error.message, error.issues);
      else throw error;
    }
  });
  return router;
}

/** Publishes the server's URL and a fresh token for admin:create; returns the cleanup. */
export function publishLocalAdmin(dataDir: string, url: string, token: string): () => void {
  const file = localAdminFile(dataDir);
  writeFileSync(file, JSON.stringify({ url, token }), { mode: 0o600 });
  chmodSync(file, 0o600);
  return () => {
    rmSync(file, { force: true });
  };
}

export const newLocalAdminToken = () => randomBytes(32).toString("base64url");
