import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(/^Bearer +(.+?) *$/i.exec(header ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/**
 * Answers a Prometheus scrape. With a token, only `Authorization: Bearer <token>` gets the
 * metrics; everyone else gets a 401 that says nothing about them.
 */
export async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  registry: Registry,
  token: string | null,
): Promise<void> {
  if (token !== null && !bearerMatches(req.headers.authorization, token)) {
    res.writeHead(401, {
      "content-type": "application/json",
      "www-authenticate": 'Bearer realm="metrics"',
    });
    res.end(
      JSON.stringify({ error: { code: "UNAUTHENTICATED", message: "Metrics need a token" } }),
    );
    return;
  }
  const body = await registry.metrics();
  res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" });
  res.end(body);
}

/**
 * A listener of its own for /metrics (and /healthz): for the worker, and for an API that keeps
 * metrics off its public port. Bind it to a private interface.
 */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  registry: Registry;
  token: string | null;
}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/metrics") {
      serveMetrics(req, res, options.registry, options.token).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    } else if (req.method === "GET" && path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"ok"}');
    } else {
      res.writeHead(404, { "content-type": "application/json" });
      res.end('{"error":{"code":"NOT_FOUND","message":"No such route"}}');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${String(port)}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
