import type { RequestListener } from "node:http";
import { createServer } from "node:http";
import express from "express";
import { describe, expect, it } from "vitest";

import { rewriteBody } from "./rewrite-body";

async function get(app: RequestListener, path: string) {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  try {
    const res = await fetch(`http://127.0.0.1:${String(port)}${path}`);
    return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
  } finally {
    server.close();
  }
}

const upper = rewriteBody((_res, chunk) =>
  typeof chunk === "string" ? chunk.toUpperCase() : chunk,
);

describe("rewriteBody", () => {
  it("rewrites what a response ends with, and its writes only when asked", async () => {
    const app = express();
    app.use(upper);
    app.get("/end", (_req, res) => {
      res.end("done");
    });
    app.get("/write", (_req, res) => {
      res.write("a");
      res.end("b");
    });
    expect((await get(app, "/end")).body).toBe("DONE");
    expect((await get(app, "/write")).body).toBe("aB");

    const writes = express();
    writes.use(rewriteBody((_res, chunk) => (chunk === "a" ? "x" : chunk), { writes: true }));
    writes.get("/write", (_req, res) => {
      res.write("a");
      res.end("b");
    });
    expect((await get(writes, "/write")).body).toBe("xb");
  });

  it("lets a rewrite see the status and drop the body and its type", async () => {
    const app = express();
    app.use(
      rewriteBody((res, chunk) => {
        if (res.statusCode !== 204) return chunk;
        res.removeHeader("Content-Type");
        return undefined;
      }),
    );
    app.get("/none", (_req, res) => {
      res.status(204).type("json").end("{}");
    });
    expect(await get(app, "/none")).toEqual({ status: 204, type: null, body: "" });
  });

  it("runs two rewrites of one response, the later one first", async () => {
    const app = express();
    app.use(upper);
    app.use(rewriteBody((_res, chunk) => `${String(chunk)}!`));
    app.get("/", (_req, res) => {
      res.end("hi");
    });
    expect((await get(app, "/")).body).toBe("HI!");
  });
});
