import type { NextFunction, Request, Response } from "express";
import express from "express";
import { describe, expect, it } from "vitest";

import { oneLayer } from "./one-layer";

async function serve(app: express.Express, path: string) {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  try {
    const res = await fetch(`http://127.0.0.1:${String(port)}${path}`);
    return { status: res.status, body: await res.text() };
  } finally {
    server.close();
  }
}

describe("oneLayer", () => {
  it("runs the handlers in order, then the next layer", async () => {
    const app = express();
    const seen: string[] = [];
    const mark = (name: string) => (_req: Request, _res: Response, next: NextFunction) => {
      seen.push(name);
      setImmediate(next);
    };
    app.use(oneLayer(mark("a"), mark("b"), mark("c")));
    app.get("/x", (_req, res) => {
      res.send(seen.join(","));
    });
    expect(await serve(app, "/x")).toEqual({ status: 200, body: "a,b,c" });
  });

  it("stops at a handler that answers", async () => {
    const app = express();
    let reached = false;
    app.use(
      oneLayer(
        (_req, res) => {
          res.status(403).send("no");
        },
        (_req, _res, next) => {
          reached = true;
          next();
        },
      ),
    );
    expect(await serve(app, "/x")).toEqual({ status: 403, body: "no" });
    expect(reached).toBe(false);
  });

  it("hands next(error), throws and rejections to the error handler", async () => {
    for (const failing of [
      (_req: Request, _res: Response, next: NextFunction) => {
        next(new Error("passed"));
      },
      () => {
        throw new Error("thrown");
      },
      () => Promise.reject(new Error("rejected")),
    ]) {
      const app = express();
      let after = false;
      app.use(
        oneLayer(failing, (_req, _res, next) => {
          after = true;
          next();
        }),
      );
      app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
        res.status(500).send(error.message);
      });
      const res = await serve(app, "/x");
      expect(res.status).toBe(500);
      expect(["passed", "thrown", "rejected"]).toContain(res.body);
      expect(after).toBe(false);
    }
  });
});
