import type { NextFunction, Request, Response } from "express";

import { sendError } from "./errors";
import { rewriteBody } from "./rewrite-body";

/** Deeper than any contract needs (a batch of imports is 4 levels); parsers recurse past this. */
export const MAX_JSON_DEPTH = 32;

/** True when `text`, read as JSON, nests arrays and objects deeper than `max`. */
export function jsonDepthExceeds(text: string | Uint8Array, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = typeof text === "string" ? text.charCodeAt(i) : text[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** Thrown from express.json's `verify`, before the body is parsed. */
export class JsonTooDeepError extends Error {
  readonly type = "entity.too.deep";
  constructor() {
    super(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

export function verifyJsonDepth(_req: unknown, _res: unknown, body: Buffer): void {
  if (jsonDepthExceeds(body)) throw new JsonTooDeepError();
}

/**
 * Bodies are read as sent: a compressed body (or a broken one) is refused with 415 before any
 * parser sees it, instead of failing deep inside one.
 */
export function refuseContentCoding(req: Request, res: Response, next: NextFunction): void {
  const coding = req.headers["content-encoding"];
  if (coding !== undefined && coding.trim().toLowerCase() !== "identity") {
    sendError(res, "UNSUPPORTED_MEDIA_TYPE", "Send the body without Content-Encoding");
    return;
  }
  next();
}

/**
 * Media types are case-insensitive (RFC 9110 8.3.1): `application/JSON` is JSON on /v1 as on
 * /trpc. The adapters compare them exactly, so lower-case the type before they look.
 */
export function normalizeMediaType(req: Request, _res: Response, next: NextFunction): void {
  const type = req.headers["content-type"];
  if (type !== undefined && /[A-Z]/.test(type)) {
    const semicolon = type.indexOf(";");
    req.headers["content-type"] =
      semicolon < 0
        ? type.toLowerCase()
        : type.slice(0, semicolon).toLowerCase() + type.slice(semicolon);
  }
  next();
}

/** tRPC's query input travels in the URL (`?input=`), parsed outside express.json. */
export function refuseDeepQueryInput(req: Request, res: Response, next: NextFunction): void {
  const input = (req.query as Record<string, unknown>).input;
  if (typeof input === "string" && jsonDepthExceeds(input)) {
    sendError(res, "BAD_REQUEST", new JsonTooDeepError().message);
    return;
  }
  next();
}

/** HEAD works wherever GET does; Node drops the body of a HEAD response by itself. */
export function headAsGet(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === "HEAD") req.method = "GET";
  next();
}

/**
 * Token and authenticated responses must not be stored by any cache (RFC 6749 5.1, RFC 9111);
 * every API response is one or the other, or an error.
 */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Pragma", "no-cache");
  next();
}

const NULL_REQUEST_ID = '"requestId":null';

/**
 * Fills the request id into an error body tRPC wrote without one: a JSON answer is one string,
 * a streamed one comes in bytes.
 */
function withRequestId(res: Response, chunk: unknown): unknown {
  if (res.statusCode < 400) return chunk;
  if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) return chunk;
  const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  if (!text.includes(NULL_REQUEST_ID)) return chunk;
  return text.replaceAll(NULL_REQUEST_ID, `"requestId":${JSON.stringify(res.locals.requestId)}`);
}

/**
 * tRPC formats errors raised before it builds a context (an oversized batch, an unsupported
 * method) without one, so without the request id: fill it in on the way out. The adapter sends
 * a JSON answer with one `end` (patches/@trpc__server), a streamed one with `write`s.
 */
export const trpcErrorRequestIds = rewriteBody(withRequestId, { writes: true });
