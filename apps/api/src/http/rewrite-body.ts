import type { NextFunction, Request, Response } from "express";

/** What a response's body is given instead of `chunk`; it may also set or drop headers. */
export type BodyRewrite = (res: Response, chunk: unknown) => unknown;

type Send = (this: Response, chunk?: unknown, ...rest: unknown[]) => unknown;

/**
 * Middleware that passes what each response ends with (and, with `writes`, every chunk it
 * writes) through `rewrite` on its way out. Each response keeps its own `end`/`write` under
 * symbols of this middleware and gets this middleware's shared functions, which find the
 * response as `this`: no new closure is stored on a response. Node 20's V8 kept an object
 * given a new closure after it was built, with all it reaches, through young-generation
 * collections, so every request ended in the old generation (docs/performance.md, fourth pass).
 * Symbols per middleware, so two rewrites of one response each call the one before.
 */
export function rewriteBody(
  rewrite: BodyRewrite,
  { writes = false }: { writes?: boolean } = {},
): (req: Request, res: Response, next: NextFunction) => void {
  const endBefore = Symbol("end before the rewrite");
  const writeBefore = Symbol("write before the rewrite");
  type Rewritten = Response & { [endBefore]: Send; [writeBefore]: Send };
  function end(this: Rewritten, chunk?: unknown, ...rest: unknown[]) {
    return this[endBefore](rewrite(this, chunk), ...rest);
  }
  function write(this: Rewritten, chunk: unknown, ...rest: unknown[]) {
    return this[writeBefore](rewrite(this, chunk), ...rest);
  }
  return (_req, res, next) => {
    const rewritten = res as Rewritten;
    // Called back with this response as `this` (end, write above).
    // eslint-disable-next-line @typescript-eslint/unbound-method
    rewritten[endBefore] = res.end as Send;
    res.end = end as Response["end"];
    if (writes) {
      // eslint-disable-next-line @typescript-eslint/unbound-method
      rewritten[writeBefore] = res.write as Send;
      res.write = write as Response["write"];
    }
    next();
  };
}
