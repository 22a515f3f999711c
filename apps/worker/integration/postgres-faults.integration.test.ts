import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RedisServer, RestartablePostgresServer, TestApi } from "@runway/test-harness";
import {
  benchSecrets,
  newUser,
  PASSWORD,
  startPostgres,
  startRedis,
  startTestApi,
} from "@runway/test-harness";

import type { Batch, WorkerProcess } from "./helpers";
import { makeBatch, settled, startWorkerProcess, waitFor } from "./helpers";

/**
 * PostgreSQL taken away under load (a fast shutdown, then a crash) while imports are created
 * and processed and clients log in and refresh. API and worker (child processes) must ride it
 * out without a restart.
 */
let pg: RestartablePostgresServer;
let redis: RedisServer;
let server: TestApi;
let worker: WorkerProcess;
const accepted = new Map<string, Batch>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Observed {
  route: string;
  status: number;
  /** The error code of a refusal, to say why in a failure message. */
  code?: string;
  retryAfter: string | null;
  ms: number;
  at: number;
}
const observed: Observed[] = [];
/** No request may hang: anything slower than this counts as a hang (status 0). */
const HANG_MS = 15_000;
const SLOW_MS = 5_000;

async function call(
  route: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const started = Date.now();
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  try {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(HANG_MS),
    });
    const text = await res.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    observed.push({
      route,
      status: res.status,
      ...(typeof body.code === "string" ? { code: body.code } : {}),
      retryAfter: res.headers.get("retry-after"),
      ms: Date.now() - started,
      at: started,
    });
    return { status: res.status, body };
  } catch {
    observed.push({ route, status: 0, retryAfter: null, ms: Date.now() - started, at: started });
    return { status: 0, body: {} };
  }
}

const traffic = { running: true };

/**
 * Submits imports one after another; a refused one is retried with the same key until 202. A
 * request the outage cut off mid-way leaves its key locked for a minute (409 in progress): that
 * key is given up, so traffic keeps flowing.
 */
async function importClient(token: string, tag: string) {
  for (let n = 0; traffic.running; n++) {
    const batch = makeBatch(40, `${tag}${String(n)}`);
    const key = `${tag}-${String(n)}`;
    for (;;) {
      const res = await call("imports.create", "POST", "/v1/imports", {
        token,
        headers: { "idempotency-key": key },
        body: { source: "android-contacts", defaultRegion: "KR", items: batch.items },
      });
      if (res.status === 202) {
        accepted.set((res.body.import as { id: string }).id, batch);
        break;
      }
      if (res.body.code === "IDEMPOTENCY_REQUEST_IN_PROGRESS") break;
      await sleep(200);
    }
    await sleep(50);
  }
}

/** Refreshes in a loop, logging in every few rounds; keeps the newest refresh token it got. */
async function authClient(email: string, refreshToken: string) {
  let token = refreshToken;
  for (let n = 0; traffic.running; n++) {
    const res = await call("auth.refresh", "POST", "/v1/auth/refresh", {
      body: { refreshToken: token },
    });
    if (res.status === 200) token = (res.body.tokens as { refreshToken: string }).refreshToken;
    if (n % 4 === 0)
      await call("auth.login", "POST", "/v1/auth/login", { body: { email, password: PASSWORD } });
    await sleep(100);
  }
  return token;
}

async function readyzPoller() {
  while (traffic.running) {
    await call("readyz", "GET", "/readyz");
    await sleep(100);
  }
}

async function readyAgain(since: number) {
  await waitFor("/readyz to recover", () =>
    Promise.resolve(observed.some((o) => o.route === "readyz" && o.at > since && o.status === 200)),
  );
}

beforeAll(async () => {
  pg = await startPostgres({ durable: true });
  redis = await startRedis();
  server = await startTestApi(
    { REDIS_URL: redis.url, IMPORT_ATTEMPTS: "10", IMPORT_BACKOFF_MS: "200" },
    { postgresAdminUrl: pg.url },
  );
  worker = startWorkerProcess({
    DATABASE_URL: server.databaseUrl,
    REDIS_URL: redis.url,
    ...benchSecrets,
    WORKER_CONCURRENCY: "2",
    WORKER_LOCK_MS: "2000",
    IMPORT_ATTEMPTS: "10",
    IMPORT_BACKOFF_MS: "200",
    SWEEP_INTERVAL_MS: "500",
    SWEEP_AFTER_MS: "1000",
  });
}, 120_000);

afterAll(async () => {
  traffic.running = false;
  await worker.kill("SIGKILL");
  await server.close();
  await redis.destroy();
  await pg.stop();
});

describe("PostgreSQL restarted under load", () => {
  it("fast shutdown, then a crash: 503 with Retry-After while away, recovery without restarts, exact reconciliation", async () => {
    const importers = await Promise.all([newUser(server.url), newUser(server.url)]);
    const signedIn = await Promise.all([
      newUser(server.url),
      newUser(server.url),
      newUser(server.url),
    ]);
    const clients = [
      ...importers.map((u, i) => importClient(u.tokens.accessToken, `pgf${String(i)}`)),
      readyzPoller(),
    ];
    const auth = signedIn.map((u) => authClient(u.email, u.tokens.refreshToken));
    await sleep(1500);

    const outages: { mode: string; from: number; to: number }[] = [];
    for (const mode of ["fast", "immediate"] as const) {
      const from = Date.now();
      await pg.shutdown(mode);
      await sleep(2000);
      await pg.start();
      const to = Date.now();
      outages.push({ mode, from, to });
      await readyAgain(to);
      await sleep(1500);
    }
    traffic.running = false;
    await Promise.all(clients);
    const lastTokens = await Promise.all(auth);

    // /readyz said 503 during each outage and recovered by itself.
    for (const outage of outages) {
      const during = observed.filter(
        (o) => o.route === "readyz" && o.at >= outage.from && o.at <= outage.to,
      );
      expect(
        during.some((o) => o.status === 503),
        `readyz during ${outage.mode}`,
      ).toBe(true);
    }
    // Clients saw success or 503 with Retry-After: never a 500, never a hang.
    const tally = new Map<string, number>();
    for (const o of observed)
      tally.set(
        `${o.route} ${String(o.status)}`,
        (tally.get(`${o.route} ${String(o.status)}`) ?? 0) + 1,
      );
    console.log(`postgres faults: ${JSON.stringify(Object.fromEntries([...tally].sort()))}`);
    expect(observed.filter((o) => o.status === 0 || (o.status >= 500 && o.status !== 503))).toEqual(
      [],
    );
    const unavailable = observed.filter((o) => o.status === 503 && o.route !== "readyz");
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.filter((o) => o.retryAfter === null)).toEqual([]);
    // Not even slow: a request during an outage fails fast instead of waiting it out.
    expect(observed.filter((o) => o.ms > SLOW_MS)).toEqual([]);
    const allowed: Record<string, number[]> = {
      "imports.create": [202, 409, 503],
      "auth.refresh": [200, 503],
      "auth.login": [200, 503],
      readyz: [200, 503],
    };
    expect(observed.filter((o) => !allowed[o.route]?.includes(o.status))).toEqual([]);

    // Both processes reconnected by themselves: the same worker finishes every accepted import.
    expect(worker.child.exitCode).toBeNull();
    const result = await settled(server.databaseUrl, accepted);
    expect(result.accepted).toBeGreaterThan(5);
    expect(result.unfinished).toEqual([]);
    expect(result.imports).toBe(result.accepted);
    expect(result.completed + result.deadLettered).toBe(result.accepted);
    expect(result.wrongCounts).toEqual([]);
    const lastImport = Math.max(
      ...observed.filter((o) => o.route === "imports.create" && o.status === 202).map((o) => o.at),
    );
    expect(lastImport).toBeGreaterThan(outages[1]?.to ?? Infinity);

    // No refresh family half-rotated: a spent token always has its child, a child its spent
    // parent, and each live session exactly one unspent token, which still works.
    const sql = postgres(server.databaseUrl, { max: 1, onnotice: () => undefined });
    try {
      const [families] = await sql<
        { orphaned: number; unspent_parents: number; sessions_not_one: number }[]
      >`
        select
          (select count(*)::int from refresh_tokens p where p.used_at is not null
             and not exists (select 1 from refresh_tokens c where c.parent_id = p.id)) as orphaned,
          (select count(*)::int from refresh_tokens c join refresh_tokens p on p.id = c.parent_id
             where p.used_at is null) as unspent_parents,
          (select count(*)::int from sessions s where s.revoked_at is null
             and (select count(*) from refresh_tokens t where t.session_id = s.id and t.used_at is null) <> 1)
            as sessions_not_one`;
      expect(families).toEqual({ orphaned: 0, unspent_parents: 0, sessions_not_one: 0 });
    } finally {
      await sql.end();
    }
    for (const token of lastTokens) {
      const res = await call("auth.refresh", "POST", "/v1/auth/refresh", {
        body: { refreshToken: token },
      });
      expect(res.status).toBe(200);
    }
  }, 240_000);
});
