import type { Request } from "autocannon";
import { Agent, request as httpRequest } from "node:http";

/** What `drive` reads of a run: autocannon's result shape, for the fields it uses. */
export interface PacedResult {
  requests: { total: number };
  duration: number;
  latency: { p50: number; p99: number };
  /** A paced run's every latency, ascending (ms), so that slices merge into one distribution. */
  latencies?: number[];
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** The p-th percentile of ascending values, to 0.1 ms. */
export const percentile = (sorted: number[], p: number) =>
  Math.round(
    (sorted.length === 0
      ? 0
      : (sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0)) * 10,
  ) / 10;

/** The latency percentiles of paced runs taken together, as if they were one run. */
export function mergedLatency(runs: PacedResult[]): { p50: number; p99: number } {
  const all = runs.flatMap((run) => run.latencies ?? []).sort((a, b) => a - b);
  return { p50: percentile(all, 50), p99: percentile(all, 99) };
}

/**
 * A steady arrival rate: one request every 1/rate seconds, whatever the answers do (an open
 * loop), each timed from the moment it was due, so a slow answer delays nothing else and a
 * queue shows in the latency. autocannon's `overallRate` sends each connection's quota for the
 * second as a burst at the start of the second and then waits, which measures a burst, not a
 * rate.
 */
export async function paced(
  base: string,
  rate: number,
  seconds: number,
  connections: number,
  template: Request,
): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(base);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const inFlight = new Set<Promise<void>>();

  const send = (due: number) => {
    const shaped =
      typeof template.setupRequest === "function"
        ? template.setupRequest({ ...template }, {})
        : template;
    const body = typeof shaped.body === "string" ? shaped.body : undefined;
    const done = new Promise<void>((resolve) => {
      const req = httpRequest(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: shaped.method ?? "GET",
          path: shaped.path ?? "/",
          headers: {
            ...(shaped.headers ?? {}),
            ...(body === undefined ? {} : { "content-length": Buffer.byteLength(body) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            latencies.push(performance.now() - due);
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) non2xx++;
            if (typeof template.onResponse === "function")
              template.onResponse(status, Buffer.concat(chunks).toString("utf8"), {}, {});
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  const started = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    send(due);
  }
  await Promise.all(inFlight);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: { total: latencies.length },
    duration: (performance.now() - started) / 1000,
    latency: { p50: percentile(sorted, 50), p99: percentile(sorted, 99) },
    latencies: sorted,
    errors,
    timeouts: 0,
    non2xx,
  };
}
