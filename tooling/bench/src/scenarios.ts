import type { Request } from "autocannon";

import type { BenchContext } from "./seed";

/** One measured endpoint: the request sequence autocannon repeats on every connection. */
export interface Scenario {
  name: string;
  /** The bare baseline serves the same request. */
  baseline: boolean;
  /**
   * Runway's own endpoint this one is held against instead (measured interleaved with it on
   * the same server, A B B A, as an endpoint with the bare baseline).
   */
  versus?: string;
  connections?: number;
  /** A fixed arrival rate (req/s over all connections) instead of as fast as possible. */
  rate?: number;
  requests(context: unknown): Request[];
}

const json = { "content-type": "application/json; charset=UTF-8" };
const bearer = (context: unknown) => ({
  authorization: `Bearer ${(context as BenchContext).accessToken}`,
});

let importKey = 0;

export const scenarios: Scenario[] = [
  {
    name: "GET /healthz",
    baseline: true,
    requests: () => [{ method: "GET", path: "/healthz" }],
  },
  {
    name: "GET /v1/imports?limit=20",
    baseline: true,
    requests: (context) => [
      { method: "GET", path: "/v1/imports?limit=20", headers: bearer(context) },
    ],
  },
  {
    name: "GET /trpc/imports.list (limit 20)",
    baseline: false,
    // The target: /trpc at least as fast as /v1 for the same call.
    versus: "GET /v1/imports?limit=20",
    requests: (context) => [
      {
        method: "GET",
        path: `/trpc/imports.list?input=${encodeURIComponent(JSON.stringify({ limit: 20 }))}`,
        headers: bearer(context),
      },
    ],
  },
  {
    name: "GET /v1/imports/{id}",
    baseline: false,
    requests: (context) => [
      {
        method: "GET",
        path: `/v1/imports/${(context as BenchContext).importId}`,
        headers: bearer(context),
      },
    ],
  },
  {
    name: "GET /v1/me",
    baseline: false,
    requests: (context) => [{ method: "GET", path: "/v1/me", headers: bearer(context) }],
  },
  {
    name: "POST /v1/auth/login",
    baseline: true,
    requests: (context) => [
      {
        method: "POST",
        path: "/v1/auth/login",
        headers: json,
        body: JSON.stringify((context as BenchContext).credentials),
      },
    ],
  },
  {
    // Every refresh token works once: each request takes a free session's token from the pool
    // and puts back the one it receives (autocannon clears its own context after each loop).
    name: "POST /v1/auth/refresh (200 req/s)",
    baseline: false,
    rate: 200,
    connections: 8,
    requests: (context) => {
      const pool = (context as BenchContext).refreshTokens;
      return [
        {
          method: "POST",
          path: "/v1/auth/refresh",
          headers: json,
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ refreshToken: pool.shift() }),
          }),
          onResponse: (status, body) => {
            if (status === 200) {
              pool.push(
                (JSON.parse(body) as { tokens: { refreshToken: string } }).tokens.refreshToken,
              );
            }
          },
        },
      ];
    },
  },
  {
    name: "POST /v1/imports (10 items, keyed)",
    baseline: false,
    requests: (context) => [
      {
        method: "POST",
        path: "/v1/imports",
        body: JSON.stringify({
          source: "bench",
          defaultRegion: "KR",
          items: Array.from({ length: 10 }, (_, i) => ({
            name: `Contact ${i}`,
            email: `contact${i}@example.com`,
            phone: `010-5555-${String(1000 + i)}`,
          })),
        }),
        setupRequest: (request) => ({
          ...request,
          headers: { ...json, ...bearer(context), "idempotency-key": `bench-${++importKey}` },
        }),
      },
    ],
  },
];
