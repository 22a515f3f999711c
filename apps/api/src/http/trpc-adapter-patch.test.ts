import type { RequestListener, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { connect } from "node:net";
import { initTRPC } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { incomingMessageToRequest } from "@trpc/server/adapters/node-http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { abortSignalsAnyPonyfill } from "@trpc/server/unstable-core-do-not-import";
import { describe, expect, it, vi } from "vitest";

// What patches/@trpc__server@11.25.2.patch changes must keep its meaning: the request tRPC
// builds from a node request (a bodiless one for GET and HEAD) still aborts when the client goes
// away, its signal made only when asked for; a streamed call's signal aborts with it, and a call
// answered as one JSON body gets none, as on /v1 (patches/trpc-to-openapi); the signals it
// combines abort with the first one that does; and every answer the node adapter writes (a JSON
// one as a string with its headers, no fetch Response) says what tRPC's fetch adapter says.
// Not in dev mode: error shapes carry no stack, which differs by adapter.
const t = initTRPC.create({ isDev: false });
const numberInput = (value: unknown): { n: number } => {
  if (typeof value === "object" && value !== null && "n" in value && typeof value.n === "number")
    return { n: value.n };
  throw new Error("n must be a number");
};
let hungUp: Promise<boolean> | undefined;
const router = t.router({
  echo: t.procedure.input(numberInput).query(({ input }) => ({ twice: input.n * 2 })),
  add: t.procedure.input(numberInput).mutation(({ input }) => input.n + 1),
  // Answers only when its signal aborts: the client hanging up must reach the call.
  wait: t.procedure.query(({ signal }) => {
    hungUp = new Promise((resolve) => {
      signal?.addEventListener("abort", () => {
        resolve(true);
      });
    });
    return hungUp;
  }),
  signalOf: t.procedure.query(({ signal }) => (signal === undefined ? "none" : "a signal")),
  ticks: t.procedure.subscription(async function* () {
    yield await Promise.resolve(1);
    yield 2;
  }),
});

async function listen(handler: RequestListener) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { base: `http://127.0.0.1:${String(port)}`, close: () => server.close() };
}

describe("the patched tRPC node adapter", () => {
  // One call, a batch with a failing call, a batch over the size limit (refused before tRPC knows
  // the calls' type), and input that is not JSON.
  const calls = [
    `/echo?input=${encodeURIComponent('{"n":21}')}`,
    `/echo,echo?batch=1&input=${encodeURIComponent('{"0":{"n":1},"1":{"n":"x"}}')}`,
    `/echo,echo,echo?batch=1&input=${encodeURIComponent('{"0":{"n":1},"1":{"n":2},"2":{"n":3}}')}`,
    "/echo?input=%7Bnot-json",
    `/add?input=${encodeURIComponent('{"n":1}')}`,
    "/nowhere",
  ];

  it("writes each JSON answer whole, with its length, as tRPC's fetch Response had it", async () => {
    const { base, close } = await listen(createHTTPHandler({ router, maxBatchSize: 2 }));
    try {
      const statuses: number[] = [];
      for (const call of calls) {
        const node = await fetch(`${base}${call}`);
        const reference = await fetchRequestHandler({
          endpoint: "",
          router,
          maxBatchSize: 2,
          req: new Request(`http://localhost${call}`),
        });
        const body = await node.text();
        expect(node.status).toBe(reference.status);
        expect(node.headers.get("content-type")).toBe(reference.headers.get("content-type"));
        expect(node.headers.get("vary")).toBe("trpc-accept, accept");
        expect(body).toBe(await reference.text());
        expect(node.headers.get("transfer-encoding")).toBeNull();
        expect(node.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
        statuses.push(node.status);
      }
      expect(statuses).toEqual([200, 207, 400, 400, 405, 404]);
    } finally {
      close();
    }
  });

  it("writes the headers an answer's meta adds as the fetch Response had them", async () => {
    const responseMeta = () => ({
      headers: { "X-Many": ["1", "2"], "set-cookie": ["a=1", "b=2"], "x-one": "v" },
    });
    const { base, close } = await listen(createHTTPHandler({ router, responseMeta }));
    try {
      const call = `/echo?input=${encodeURIComponent('{"n":1}')}`;
      const node = await fetch(`${base}${call}`);
      const reference = await fetchRequestHandler({
        endpoint: "",
        router,
        responseMeta,
        req: new Request(`http://localhost${call}`),
      });
      for (const name of ["x-many", "x-one", "vary", "content-type"])
        expect(node.headers.get(name)).toBe(reference.headers.get(name));
      expect(node.headers.get("x-many")).toBe("1, 2");
      expect(node.headers.getSetCookie()).toEqual(reference.headers.getSetCookie());
      expect(node.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    } finally {
      close();
    }
  });

  it("still answers other adapters with a fetch Response", async () => {
    const response = await fetchRequestHandler({
      endpoint: "",
      router,
      req: new Request(`http://localhost/echo?input=${encodeURIComponent('{"n":2}')}`),
    });
    expect(response).toBeInstanceOf(Response);
    expect(await response.json()).toEqual({ result: { data: { twice: 4 } } });
  });

  it("streams a jsonl batch and a subscription's events as the fetch adapter does", async () => {
    const { base, close } = await listen(createHTTPHandler({ router }));
    try {
      const streams: [string, Record<string, string>][] = [
        [
          `/echo,echo?batch=1&input=${encodeURIComponent('{"0":{"n":1},"1":{"n":"x"}}')}`,
          { "trpc-accept": "application/jsonl" },
        ],
        ["/ticks", {}],
      ];
      for (const [call, headers] of streams) {
        const node = await fetch(`${base}${call}`, { headers });
        const reference = await fetchRequestHandler({
          endpoint: "",
          router,
          req: new Request(`http://localhost${call}`, { headers }),
        });
        expect(node.status).toBe(200);
        expect(node.headers.get("content-type")).toBe(reference.headers.get("content-type"));
        expect(await node.text()).toBe(await reference.text());
      }
    } finally {
      close();
    }
  });

  it("aborts a streamed call's signal when the client hangs up before the answer", async () => {
    const server = createServer(createHTTPHandler({ router }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    hungUp = undefined;
    const socket = connect(port, "127.0.0.1");
    const input = encodeURIComponent("{}");
    socket.write(
      `GET /wait?batch=1&input=${input} HTTP/1.1\r\nHost: localhost\r\ntrpc-accept: application/jsonl\r\n\r\n`,
    );
    await vi.waitFor(() => {
      expect(hungUp).toBeDefined();
    });
    socket.destroy();
    await expect(hungUp).resolves.toBe(true);
    server.close();
  });

  it("gives a call answered as one JSON body no signal, and makes none for it", async () => {
    // Counted on the global the adapter constructs; the client is a raw socket, so nothing else
    // in this process makes one meanwhile.
    const Original = globalThis.AbortController;
    let made = 0;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        made++;
      }
    };
    const { base, close } = await listen(createHTTPHandler({ router }));
    try {
      const socket = connect(Number(new URL(base).port), "127.0.0.1");
      socket.write("GET /signalOf HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      const raw = await new Promise<string>((resolve) => {
        let text = "";
        socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        socket.on("end", () => {
          resolve(text);
        });
      });
      expect(raw.slice(raw.indexOf("\r\n\r\n") + 4)).toBe('{"result":{"data":"none"}}');
      expect(made).toBe(0);
    } finally {
      globalThis.AbortController = Original;
      close();
    }
  });

  it("makes the request's signal when asked: aborted if the client went away, else not", async () => {
    const requests: { request: Request; res: ServerResponse }[] = [];
    const server = createServer((req, res) => {
      requests.push({ request: incomingMessageToRequest(req, res, { maxBodySize: null }), res });
      if (req.url === "/answered") res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      expect(await (await fetch(`http://127.0.0.1:${String(port)}/answered`)).text()).toBe("ok");
      const socket = connect(port, "127.0.0.1");
      socket.write("GET /gone HTTP/1.1\r\nHost: localhost\r\n\r\n");
      await vi.waitFor(() => {
        expect(requests).toHaveLength(2);
      });
      socket.destroy();
      const [answered, gone] = requests;
      await vi.waitFor(() => {
        expect(gone?.res.closed).toBe(true);
      });
      // Neither signal existed until now.
      expect(gone?.request.signal.aborted).toBe(true);
      expect(answered?.request.signal.aborted).toBe(false);
    } finally {
      server.close();
    }
  });

  it("gives a GET's body as a fetch Request would: empty", async () => {
    const server = createServer((req, res) => {
      const request = incomingMessageToRequest(req, res, { maxBodySize: null });
      void request.text().then((text) => res.end(`${request.method} [${text}] ${request.url}`));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const answer = await fetch(`http://127.0.0.1:${String(port)}/echo?input=1`);
    expect(await answer.text()).toBe(`GET [] http://127.0.0.1:${String(port)}/echo?input=1`);
    server.close();
  });

  it("reads a GET's headers as the fetch Headers it used to copy them into", async () => {
    // Repeated headers (joined, or node keeps the first), cookies, and names an object has.
    const names = ["Accept", "x-twice", "cookie", "set-cookie", "content-type", "missing"];
    names.push("constructor", "__proto__", "toString", "hasOwnProperty");
    // As text: JSON would write a value that is not a string (a function) as null, like a miss.
    const read = (headers: Headers) =>
      names.map((name) => [String(headers.get(name)), headers.has(name)]);
    const server = createServer((req, res) => {
      const { headers } = incomingMessageToRequest(req, res, { maxBodySize: null });
      const copy = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        for (const item of [value ?? []].flat()) copy.append(key, item);
      }
      const answer = { view: read(headers), copy: read(copy), entries: [...headers] };
      // Once changed, it is a real Headers that answers.
      headers.set("x-added", "1");
      headers.delete("accept");
      const changed = [headers.get("x-added"), headers.has("accept"), headers.get("x-twice")];
      res.end(JSON.stringify({ ...answer, copyEntries: [...copy], changed }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const socket = connect(port, "127.0.0.1");
    const lines = ["GET /echo HTTP/1.1", "Host: localhost", "Accept: a/b", "Accept: c/d"];
    lines.push("X-Twice: 1", "X-Twice: 2", "Cookie: a=1", "Cookie: b=2", "Set-Cookie: s=1");
    lines.push("Set-Cookie: t=2", "Content-Type: text/x", "Content-Type: text/y");
    lines.push("Connection: close", "", "");
    socket.write(lines.join("\r\n"));
    const raw = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      socket.on("end", () => {
        resolve(text);
      });
    });
    server.close();
    const answer = JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)) as Record<string, unknown>;
    expect(answer.view).toEqual(answer.copy);
    expect(answer.view).toContainEqual(["a/b, c/d", true]);
    expect(answer.view).toContainEqual(["null", false]);
    expect(answer.entries).toEqual(answer.copyEntries);
    expect(answer.changed).toEqual(["1", false, "1, 2"]);
  });

  it("aborts the request's signal when the client hangs up before the answer", async () => {
    let signal: AbortSignal | undefined;
    const server = createServer((req, res) => {
      signal = incomingMessageToRequest(req, res, { maxBodySize: null }).signal;
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const socket = connect(port, "127.0.0.1");
    socket.write("GET /trpc/me.get HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await vi.waitFor(() => {
      expect(signal).toBeDefined();
    });
    expect(signal?.aborted).toBe(false);
    socket.destroy();
    await vi.waitFor(() => {
      expect(signal?.aborted).toBe(true);
    });
    server.close();
  });

  it("combines signals: aborted by the first that aborts, with its reason, and only once", () => {
    const first = new AbortController();
    const second = new AbortController();
    const combined = abortSignalsAnyPonyfill([first.signal, second.signal]);
    const onAbort = vi.fn();
    combined.addEventListener("abort", onAbort);
    expect(combined.aborted).toBe(false);
    second.abort("client went away");
    first.abort("later");
    expect(combined.aborted).toBe(true);
    expect(combined.reason).toBe("client went away");
    expect(onAbort).toHaveBeenCalledTimes(1);

    const already = AbortSignal.abort("gone");
    const fromAborted = abortSignalsAnyPonyfill([new AbortController().signal, already]);
    expect(fromAborted.aborted).toBe(true);
    expect(fromAborted.reason).toBe("gone");
  });
});
