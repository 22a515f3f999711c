import { createServer } from "node:http";
import { connect } from "node:net";
import { incomingMessageToRequest } from "@trpc/server/adapters/node-http";
import { abortSignalsAnyPonyfill } from "@trpc/server/unstable-core-do-not-import";
import { describe, expect, it, vi } from "vitest";

// What patches/@trpc__server@11.25.2.patch changes must keep its meaning: the fetch Request
// tRPC builds from a node request still aborts when the client goes away, and the signals it
// combines abort with the first one that does.
describe("the patched tRPC node adapter", () => {
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
