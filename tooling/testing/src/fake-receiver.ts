import type { IncomingHttpHeaders, Server } from "node:http";
import { createServer } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Answers the next `count` requests with `status` (to test delivery retries). */
  failNext(count: number, status?: number): void;
  /** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/**
 * A local HTTP server standing in for a third party that cannot run here (Sentry's ingestion,
 * a Slack webhook, PagerDuty's Events API): it records every request it receives, body
 * decompressed, and answers 200 (or what `failNext` says).
 */
export async function startFakeReceiver(answer = '{"status":"success"}'): Promise<FakeReceiver> {
  const received: ReceivedRequest[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let raw = Buffer.concat(chunks);
      const encoding = req.headers["content-encoding"];
      if (encoding === "gzip") raw = gunzipSync(raw);
      else if (encoding === "deflate") raw = inflateSync(raw);
      if (failures.count > 0) {
        failures = { ...failures, count: failures.count - 1 };
        res.writeHead(failures.status).end();
        return;
      }
      received.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: raw.toString("utf8"),
      });
      res.writeHead(200, { "content-type": "application/json" }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    received,
    failNext(count, status = 500) {
      failures = { count, status };
    },
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${String(count)} requests, got ${String(received.length)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** A Sentry DSN whose ingestion is `receiver` (project `project`, public key `key`). */
export function sentryDsn(receiver: FakeReceiver, key: string, project: number): string {
  return `${receiver.url.replace("http://", `http://${key}@`)}/${String(project)}`;
}

/**
 * The error events a fake Sentry received. Envelopes are newline-separated JSON: the envelope
 * header, then an item header and its payload for each item.
 */
export function sentryEvents(
  receiver: FakeReceiver,
): { body: string; event: Record<string, unknown> }[] {
  return receiver.received.flatMap((request) => {
    const lines = request.body.split("\n").filter((line) => line.length > 0);
    const found: { body: string; event: Record<string, unknown> }[] = [];
    for (let i = 1; i + 1 < lines.length; i += 2) {
      if ((JSON.parse(lines[i] ?? "{}") as { type?: string }).type === "event")
        found.push({
          body: request.body,
          event: JSON.parse(lines[i + 1] ?? "{}") as Record<string, unknown>,
        });
    }
    return found;
  });
}
