import type { NextFunction, Request, RequestHandler, Response } from "express";

/**
 * Runs middleware in order as one express layer. Each layer costs express's router a path
 * match, a URL trim and restore and a `next` frame per request; the guards in front of /v1 and
 * /trpc, and the ones every request passes, are many small layers (see docs/performance.md).
 * A handler that answers without calling `next` ends the chain; `next(error)` and a thrown or
 * rejected handler go to express's error handlers, as they would from separate layers.
 */
export function oneLayer(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null) {
        next(error);
        return;
      }
      const handler = handlers[index++];
      if (!handler) {
        next();
        return;
      }
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch(next);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
