import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { RedisServer, TestApi, Tokens } from "@runway/test-harness";
import { ErrorResponseSchema, ImportItemPageSchema, ImportResponseSchema } from "@runway/contracts";
import {
  adminTokens,
  benchSecrets,
  http,
  newUser,
  startRedis,
  startTestApi,
} from "@runway/test-harness";

import type { Batch, WorkerProcess } from "./helpers";
import {
  createImport,
  dumpDatabase,
  dumpRedis,
  makeBatch,
  reconcile,
  settled,
  startWorkerProcess,
  statuses,
  waitFor,
} from "./helpers";

/**
 * The whole pipeline for real: API and worker (child processes) on PostgreSQL and Redis, with the worker killed, Redis stopped and jobs failing on purpose.
 */
let redis: RedisServer;
let server: TestApi;
let user: { id: string; tokens: Tokens };
const workers: WorkerProcess[] = [];
const accepted = new Map<string, Batch>();
const submitted: string[] = [];
let keySerial = 0;

function workerEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: server.databaseUrl,
    REDIS_URL: redis.url,
    ...benchSecrets,
    WORKER_CONCURRENCY: "2",
    WORKER_LOCK_MS: "2000",
    IMPORT_ATTEMPTS: "3",
    IMPORT_BACKOFF_MS: "100",
    SWEEP_INTERVAL_MS: "500",
    SWEEP_AFTER_MS: "1000",
    SHUTDOWN_GRACE_MS: "15000",
    ...extra,
  };
}

function worker(extra: Record<string, string> = {}): WorkerProcess {
  const started = startWorkerProcess(workerEnv(extra));
  workers.push(started);
  return started;
}

async function submit(count: number, size: number, source?: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const batch = makeBatch(size, `b${keySerial}`);
    const res = await createImport(
      server,
      user.tokens.accessToken,
      `key-${++keySerial}`,
      batch,
      source,
    );
    expect(res.status).toBe(202);
    accepted.set(res.body.import.id, batch);
    for (const value of batch.raw) submitted.push(value);
    ids.push(res.body.import.id);
  }
  return ids;
}

const allSettled = () => settled(server.databaseUrl, accepted);

/** An import as its owner sees it over REST. */
async function importOf(id: string) {
  const res = await http(server.url, "GET", `/v1/imports/${id}`, {
    token: user.tokens.accessToken,
  });
  return ImportResponseSchema.parse(res.body).import;
}

function expectReconciled(result: Awaited<ReturnType<typeof reconcile>>) {
  expect(result.unfinished).toEqual([]);
  expect(result.imports).toBe(result.accepted);
  expect(result.completed + result.deadLettered).toBe(result.accepted);
  expect(result.wrongCounts).toEqual([]);
}

beforeAll(async () => {
  redis = await startRedis();
  server = await startTestApi({
    REDIS_URL: redis.url,
    IMPORT_ATTEMPTS: "3",
    IMPORT_BACKOFF_MS: "100",
  });
  user = await newUser(server.url);
}, 120_000);

// Each test starts the workers it needs; none outlives its test.
afterEach(async () => {
  for (const w of workers) await w.kill("SIGTERM");
});

afterAll(async () => {
  for (const w of workers) await w.kill("SIGKILL");
  await server.close();
  await redis.destroy();
});

describe("imports end to end with the worker process", () => {
  it("creates, replays, refuses a conflicting key, completes with exact counts and masked items", async () => {
    const w = worker();
    const batch = makeBatch(300, "e2e");
    const first = await createImport(server, user.tokens.accessToken, "e2e-key", batch);
    expect(first.status).toBe(202);
    const created = ImportResponseSchema.parse(first.body).import;
    expect(created.status).toBe("queued");
    accepted.set(created.id, batch);
    submitted.push(...batch.raw);

    const replay = await createImport(server, user.tokens.accessToken, '"e2e-key"', batch);
    expect(replay.status).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);

    const conflict = await createImport(
      server,
      user.tokens.accessToken,
      "e2e-key",
      makeBatch(5, "other"),
    );
    expect(conflict.status).toBe(422);
    expect(ErrorResponseSchema.parse(conflict.body).code).toBe("IDEMPOTENCY_KEY_REUSED");

    const done = await waitFor("the import to complete", async () => {
      const res = await http(server.url, "GET", `/v1/imports/${created.id}`, {
        token: user.tokens.accessToken,
      });
      const current = ImportResponseSchema.parse(res.body).import;
      return current.status === "completed" ? current : null;
    });
    expect(done).toMatchObject({
      totalItems: batch.expected.total,
      validItems: batch.expected.valid,
      invalidItems: batch.expected.invalid,
      duplicateItems: batch.expected.duplicate,
      attempts: 1,
    });

    const page = await http(server.url, "GET", `/v1/imports/${created.id}/items?limit=100`, {
      token: user.tokens.accessToken,
    });
    const items = ImportItemPageSchema.parse(page.body).items;
    expect(items.map((item) => item.index)).toEqual([...Array(100).keys()]);
    expect(items[1]?.status).toBe("valid");
    expect(items[1]?.phoneMasked).toMatch(/^\+82 10 \*{4} \d{4}$/);
    expect(items[9]).toMatchObject({ status: "duplicate" });
    expect(items[24]).toMatchObject({ status: "invalid", reason: "INVALID_EMAIL" });
    expect(JSON.stringify(items)).not.toMatch(/contact\.e2e\.\d+@/);

    // The request id of the POST reaches every worker line about the job.
    const requestId = first.headers.get("x-request-id");
    const jobLines = w.logs.filter((line) => line.includes(created.id));
    expect(jobLines.length).toBeGreaterThan(0);
    for (const line of jobLines) expect(line).toContain(requestId);
    await w.kill("SIGTERM");
  });

  it("matches contacts against registered users' email hashes", async () => {
    const w = worker();
    const friend = await newUser(server.url);
    const batch: Batch = {
      items: [{ email: friend.email.toUpperCase() }, { email: "stranger@example.com" }],
      expected: { total: 2, valid: 2, invalid: 0, duplicate: 0 },
      raw: ["stranger@example.com"],
    };
    const res = await createImport(server, user.tokens.accessToken, "match-key", batch);
    accepted.set(res.body.import.id, batch);
    submitted.push(...batch.raw);
    const done = await waitFor("match", async () => {
      const r = await http(server.url, "GET", `/v1/imports/${res.body.import.id}`, {
        token: user.tokens.accessToken,
      });
      const current = ImportResponseSchema.parse(r.body).import;
      return current.status === "completed" ? current : null;
    });
    expect(done.matchedItems).toBe(1);
    await w.kill("SIGTERM");
  });
});

describe("failure injection, each ending in an exact reconciliation", () => {
  it("SIGKILL of the worker mid-import: the restarted worker finishes every job once", async () => {
    // The worker starts once every import is queued: started first, it could keep pace with the
    // uploads and finish them all before the kill (accepting is the slower side).
    await submit(12, 4000);
    const w = worker();
    await waitFor("one completion", () =>
      Promise.resolve(w.logs.some((line) => line.includes('"import completed"'))),
    );
    await w.kill("SIGKILL");
    const before = await statuses(server.databaseUrl);
    expect((before.queued ?? 0) + (before.processing ?? 0)).toBeGreaterThan(0);
    worker();
    expectReconciled(await allSettled());
  }, 120_000);

  it("SIGTERM mid-import: in-flight work finishes or is handed back, nothing is lost", async () => {
    await submit(10, 4000);
    const w = worker();
    await waitFor("one completion", () =>
      Promise.resolve(w.logs.some((line) => line.includes('"import completed"'))),
    );
    expect(await w.kill("SIGTERM")).toBe(0);
    expect(w.logs.some((line) => line.includes("worker stopped"))).toBe(true);
    worker();
    expectReconciled(await allSettled());
  }, 120_000);

  it("Redis down while imports are created: still 202, and they complete once Redis is back", async () => {
    const w = worker();
    await redis.stop();
    const ids = await submit(5, 500);
    const notReady = await http(server.url, "GET", "/readyz");
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ checks: { redis: "unreachable" } });
    await redis.start();
    expectReconciled(await allSettled());
    const final = await statuses(server.databaseUrl);
    expect(final.queued ?? 0).toBe(0);
    expect(ids).toHaveLength(5);
    await w.kill("SIGTERM");
  }, 120_000);

  it("Redis restarted mid-processing", async () => {
    // As above: every import queued before the worker starts, so work is left when Redis dies.
    await submit(20, 5000);
    const w = worker();
    await waitFor("one completion", () =>
      Promise.resolve(w.logs.filter((line) => line.includes('"import completed"')).length > 0),
    );
    await redis.stop({ crash: true });
    const during = await statuses(server.databaseUrl);
    expect((during.queued ?? 0) + (during.processing ?? 0)).toBeGreaterThan(0);
    await redis.start();
    expectReconciled(await allSettled());
    await w.kill("SIGTERM");
  }, 120_000);

  it("a job that always fails reaches the dead letters, and an admin retry completes it", async () => {
    const failing = worker({ FAULT_FAIL_IMPORT_SOURCE: "chaos" });
    const [id] = await submit(1, 50, "chaos");
    const admin = await adminTokens(server.url);
    const letter = await waitFor("a dead letter", async () => {
      const res = await http<{ items: { id: string; importId: string; attempts: number }[] }>(
        server.url,
        "GET",
        "/v1/admin/dead-letters",
        { token: admin.accessToken },
      );
      return res.body.items.find((item) => item.importId === id);
    });
    expect(letter.attempts).toBe(3);
    expect(await importOf(id!)).toMatchObject({
      status: "failed",
      attempts: 3,
      error: "injected failure",
    });
    const queue = await http(server.url, "GET", "/v1/admin/queue", { token: admin.accessToken });
    expect(queue.body).toMatchObject({ backend: "bullmq", deadLetters: 1 });
    expect(await reconcile(server.databaseUrl, accepted)).toMatchObject({ deadLettered: 1 });

    await failing.kill("SIGTERM");
    const healthy = worker();
    const retry = await http(server.url, "POST", `/v1/admin/dead-letters/${letter.id}/retry`, {
      token: admin.accessToken,
    });
    expect(retry.status).toBe(202);
    const result = await allSettled();
    expectReconciled(result);
    expect(result.deadLettered).toBe(0);
    expect(await importOf(id!)).toMatchObject({
      status: "completed",
      attempts: 1,
    });
    await healthy.kill("SIGTERM");
  }, 120_000);
});

describe("no raw PII anywhere", () => {
  it("finds none of the submitted emails or phone numbers in PostgreSQL, Redis or the logs", async () => {
    expect(submitted.length).toBeGreaterThan(1000);
    const haystacks = {
      postgres: await dumpDatabase(server.databaseUrl),
      redis: await dumpRedis(redis.url),
      apiLogs: server.process.logs.join("\n"),
      workerLogs: workers.flatMap((w) => w.logs).join("\n"),
    };
    expect(haystacks.redis.length).toBeGreaterThan(0);
    expect(haystacks.workerLogs.length).toBeGreaterThan(0);
    const wanted = new Set(submitted.map((value) => value.toLowerCase()));
    const sample = submitted.filter((_, i) => i % 2000 === 0);
    for (const [where, text] of Object.entries(haystacks)) {
      const lower = text.toLowerCase();
      // Every email- or phone-shaped token found, checked against everything submitted...
      const tokens = lower.match(/[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}|\+?\d[\d-]{8,}\d/g) ?? [];
      expect(
        tokens.filter((token) => wanted.has(token)),
        where,
      ).toEqual([]);
      // ...and a plain substring search for a sample, whatever the surrounding characters.
      expect(
        sample.filter((value) => lower.includes(value.toLowerCase())),
        where,
      ).toEqual([]);
    }
  }, 120_000);
});
