import type { RequestListener } from "node:http";
import { createServer } from "node:http";
import { connect } from "node:net";
import { initTRPC } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { incomingMessageToRequest } from "@trpc/server/adapters/node-http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { abortSignalsAnyPonyfill } from "@trpc/server/unstable-core-do-not-import";
import { describe, expect, it, vi } from "vitest";

// What patches/@trpc__server@11.25.2.patch changes must keep its meaning: the fetch Request
// tRPC builds from a node request still aborts when the client goes away, the signals it
// combines abort with the first one that does, and a JSON answer the node adapter now writes as
// a string (no fetch Response) says what it said before.
// Not in dev mode: error shapes carry no stack, which differs by adapter.
const t = initTRPC.create({ isDev: false });
const numberInput = (value: unknown): { n: number } => {
  if (typeof value === "object" && value !== null && "n" in value && typeof value.n === "number")
    return { n: value.n };
  throw new Error("n must be a number");
};
const router = t.router({
  echo: t.procedure.input(numberInput).query(({ input }) => ({ twice: input.n * 2 })),
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
      expect(statuses).toEqual([200, 207, 400, 400]);
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
