import { Redis } from "ioredis";
import postgres from "postgres";

import type { AppProcess, TestApi } from "@runway/test-harness";
import { http, startAppProcess } from "@runway/test-harness";

export type WorkerProcess = AppProcess;

/** Starts `apps/worker` as a real child process (metrics on any free port). */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  return startAppProcess("worker", { WORKER_METRICS_PORT: "0", ...env });
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface Contact {
  name?: string;
  email?: string;
  phone?: string;
}

export interface Batch {
  items: Contact[];
  expected: { total: number; valid: number; invalid: number; duplicate: number };
  raw: string[];
}

let serial = 0;
/**
 * `size` contacts, every 10th an exact duplicate of the previous one, every 25th invalid.
 * Expected counts follow from the construction.
 */
export function makeBatch(size: number, tag: string): Batch {
  const items: Contact[] = [];
  const raw: string[] = [];
  let valid = 0;
  let invalid = 0;
  let duplicate = 0;
  for (let i = 0; i < size; i++) {
    if (i % 25 === 24) {
      items.push({ email: `not-an-email-${tag}-${i}` });
      invalid++;
      continue;
    }
    if (i % 10 === 9 && items[i - 1] && !items[i - 1]!.email?.startsWith("not-an-email")) {
      items.push({ ...items[i - 1]! });
      duplicate++;
      continue;
    }
    const n = ++serial;
    const phone = `010-${String(1000 + (n % 9000)).padStart(4, "0")}-${String(n % 10_000).padStart(4, "0")}`;
    const email = `contact.${tag}.${n}@example.com`;
    items.push(i % 2 === 0 ? { name: `Person ${n}`, email } : { email, phone });
    raw.push(email);
    if (i % 2 === 1) raw.push(phone, `+8210${phone.slice(4).replace("-", "")}`);
    valid++;
  }
  return { items, expected: { total: size, valid, invalid, duplicate }, raw };
}

export async function createImport(
  server: TestApi,
  token: string,
  key: string,
  batch: Batch,
  source = "android-contacts",
) {
  return http<{ import: { id: string; status: string } }>(server.url, "POST", "/v1/imports", {
    token,
    headers: { "idempotency-key": key },
    body: { source, defaultRegion: "KR", items: batch.items },
  });
}

interface ImportRow {
  id: string;
  status: string;
  total_items: number;
  valid_items: number;
  invalid_items: number;
  duplicate_items: number;
  attempts: number;
}

/**
 * The reconciliation every failure test ends with: every accepted import is completed or
 * failed with a dead letter, its counts are exact, and nothing exists twice.
 */
export async function reconcile(databaseUrl: string, accepted: Map<string, Batch>) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const rows = await sql<
      ImportRow[]
    >`select id, status, total_items, valid_items, invalid_items, duplicate_items, attempts from imports`;
    const letters = await sql<{ import_id: string }[]>`select import_id from dead_letters`;
    const itemCounts = await sql<
      { import_id: string; n: number }[]
    >`select import_id, count(*)::int as n from import_items group by import_id`;
    const completed = rows.filter((row) => row.status === "completed").length;
    const failed = rows.filter((row) => row.status === "failed");
    return {
      accepted: accepted.size,
      imports: rows.length,
      completed,
      deadLettered: failed.filter((row) => letters.some((l) => l.import_id === row.id)).length,
      unfinished: rows
        .filter((row) => row.status !== "completed" && row.status !== "failed")
        .map((row) => row.id),
      wrongCounts: rows
        .filter((row) => row.status === "completed")
        .filter((row) => {
          const batch = accepted.get(row.id);
          const items = itemCounts.find((c) => c.import_id === row.id)?.n;
          return (
            !batch ||
            items !== batch.expected.total ||
            row.total_items !== batch.expected.total ||
            row.valid_items !== batch.expected.valid ||
            row.invalid_items !== batch.expected.invalid ||
            row.duplicate_items !== batch.expected.duplicate
          );
        })
        .map((row) => row.id),
    };
  } finally {
    await sql.end();
  }
}

/** Waits until no import is queued or processing, then reconciles. */
export async function settled(databaseUrl: string, accepted: Map<string, Batch>) {
  await waitFor(
    "every import to finish",
    async () => {
      const counts = await statuses(databaseUrl);
      return (counts.queued ?? 0) + (counts.processing ?? 0) === 0;
    },
    90_000,
  );
  return reconcile(databaseUrl, accepted);
}

export async function statuses(databaseUrl: string): Promise<Record<string, number>> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const rows = await sql<
      { status: string; n: number }[]
    >`select status, count(*)::int as n from imports group by status`;
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  } finally {
    await sql.end();
  }
}

/** Every value stored in Redis, as text. */
export async function dumpRedis(url: string): Promise<string> {
  const redis = new Redis(url);
  try {
    const out: string[] = [];
    for (const key of await redis.keys("*")) {
      out.push(key);
      const type = await redis.type(key);
      if (type === "string") out.push((await redis.get(key)) ?? "");
      else if (type === "hash") out.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === "list") out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === "set") out.push(JSON.stringify(await redis.smembers(key)));
      else if (type === "zset") out.push(JSON.stringify(await redis.zrange(key, "0", "-1")));
      else if (type === "stream") out.push(JSON.stringify(await redis.xrange(key, "-", "+")));
    }
    return out.join("\n");
  } finally {
    redis.disconnect();
  }
}

/** Every row of every table, as text. */
export async function dumpDatabase(databaseUrl: string): Promise<string> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const tables = await sql<
      { table_name: string }[]
    >`select table_name from information_schema.tables where table_schema in ('public')`;
    const out: string[] = [];
    for (const { table_name } of tables) {
      const rows = await sql.unsafe(`select row_to_json(t)::text as j from "${table_name}" t`);
      for (const row of rows) out.push(String(row.j));
    }
    return out.join("\n");
  } finally {
    await sql.end();
  }
}
