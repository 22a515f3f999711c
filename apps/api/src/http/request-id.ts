import type { NextFunction, Request, Response } from "express";
import { randomUUID } from "node:crypto";

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module "express-serve-static-core" {
  interface Locals {
    requestId: string;
  }
}

/** Accepts a client's X-Request-ID when it is a sane token, otherwise makes one; always echoes it. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.get("x-request-id");
  const id = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader("X-Request-ID", id);
  next();
}
