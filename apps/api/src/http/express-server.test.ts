import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";

import { expressServer } from "./express-server";

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** Listens on a free loopback port; the server's base URL. */
async function listening(made: Server): Promise<string> {
  server = made;
  await new Promise<void>((resolve) => made.listen(0, "127.0.0.1", resolve));
  const address = made.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return `http://127.0.0.1:${String(port)}`;
}

/** The prototypes node's server gave a request and its response, before express saw them. */
async function bornPrototypes(make: (app: express.Express) => Server) {
  const app = express();
  app.set("trust proxy", "loopback");
  app.post("/echo", express.json(), (req, res) => {
    res.status(201).json({ body: req.body as unknown, ip: req.ip, agent: req.get("user-agent") });
  });
  const born: { req: object | null; res: object | null }[] = [];
  const made = make(app);
  made.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    born.push({
      req: Object.getPrototypeOf(req) as object,
      res: Object.getPrototypeOf(res) as object,
    });
  });
  const answer = await fetch(`${await listening(made)}/echo`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "probe/1" },
    body: JSON.stringify({ a: 1 }),
  });
  return { app, born, status: answer.status, body: await answer.json() };
}

describe("expressServer", () => {
  it("creates requests and responses as the app's own, and express works on them as before", async () => {
    const { app, born, status, body } = await bornPrototypes((a) => expressServer(a));
    expect(born).toEqual([{ req: app.request, res: app.response }]);
    expect(status).toBe(201);
    expect(body).toEqual({ body: { a: 1 }, ip: "127.0.0.1", agent: "probe/1" });
  });

  it("is what node's default server does not do (express re-prototypes those per request)", async () => {
    const { app, born, status } = await bornPrototypes((a) => createServer(a));
    expect(born).toHaveLength(1);
    expect(born[0]?.req).not.toBe(app.request);
    expect(status).toBe(201);
  });

  it("keeps the server options it is given", async () => {
    const base = await listening(expressServer(express(), { maxHeaderSize: 1024 }));
    const answer = await fetch(`${base}/`, {
      headers: { "x-padding": "p".repeat(2048) },
    });
    expect(answer.status).toBe(431);
  });
});
