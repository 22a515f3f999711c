import { and, eq, inArray, min, sql } from "drizzle-orm";

import type { ImportJobPayload } from "@runway/contracts";
import type { Database } from "@runway/db";
import { imports } from "@runway/db";

import type { ImportConsumer, ImportQueue, QueueCounts } from "./types";
import { backoffDelay } from "./types";

export interface PostgresDispatcherOptions extends ImportConsumer {
  db: Database;
  /** How long a claimed import is reserved before another dispatcher may take it. */
  leaseMs: number;
  pollMs: number;
}

export interface PostgresDispatcher extends ImportQueue {
  start(): void;
}

/**
 * The embedded default's queue: PostgreSQL itself. An import is claimed with
 * `FOR UPDATE SKIP LOCKED` and leased until `run_after`; a crashed holder's lease lapses and the
 * import is claimed again. Retries wait in `run_after` with exponential backoff.
 */
export function createPostgresDispatcher(options: PostgresDispatcherOptions): PostgresDispatcher {
  const { db } = options;
  let running = 0;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  const idle = new Set<() => void>();

  async function claim(): Promise<ImportJobPayload | null> {
    const rows = await db.execute(sql`
      update imports set status = 'processing', run_after = now() + ${`${options.leaseMs} milliseconds`}::interval
      where id = (
        select id from imports
        where status in ('queued', 'processing') and run_after <= now()
        order by run_after, created_at
        limit 1
        for update skip locked
      )
      returning id, request_id`);
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as {
      id: string;
      request_id: string | null;
    }[];
    const row = list[0];
    return row ? { importId: row.id, requestId: row.request_id } : null;
  }

  async function settleFailure(payload: ImportJobPayload, error: unknown): Promise<void> {
    const [row] = await db
      .select({ attempts: imports.attempts })
      .from(imports)
      .where(eq(imports.id, payload.importId));
    if (!row) return;
    const message = error instanceof Error ? error.message : "processing failed";
    if (options.isPermanent(error) || row.attempts >= options.policy.attempts) {
      await options.onExhausted(payload, message);
      return;
    }
    await db
      .update(imports)
      .set({
        status: "queued",
        runAfter: new Date(Date.now() + backoffDelay(options.policy, row.attempts)),
      })
      .where(and(eq(imports.id, payload.importId), eq(imports.status, "processing")));
  }

  async function runOne(payload: ImportJobPayload): Promise<void> {
    try {
      await options.handler(payload, 0);
    } catch (error) {
      await settleFailure(payload, error).catch(options.onError);
    }
  }

  async function pump(): Promise<void> {
    while (!stopped && running < options.concurrency) {
      const payload = await claim();
      if (!payload) break;
      running++;
      void runOne(payload).finally(() => {
        running--;
        if (running === 0) for (const resolve of idle) resolve();
        kick();
      });
    }
  }

  function kick(): void {
    if (stopped) return;
    pump().catch(options.onError);
  }

  return {
    backend: "postgres",
    start() {
      stopped = false;
      timer = setInterval(kick, options.pollMs);
      timer.unref();
      kick();
    },
    enqueue() {
      kick();
      return Promise.resolve(true);
    },
    async requeue() {
      kick();
      return Promise.resolve();
    },
    async inspect(importId) {
      const [row] = await db
        .select({ status: imports.status })
        .from(imports)
        .where(eq(imports.id, importId));
      if (!row) return "missing";
      return row.status === "queued"
        ? "waiting"
        : row.status === "processing"
          ? "active"
          : row.status;
    },
    async counts(): Promise<QueueCounts> {
      const rows = await db
        .select({
          status: imports.status,
          n: sql<number>`count(*)::int`,
          oldest: min(imports.createdAt),
        })
        .from(imports)
        .where(inArray(imports.status, ["queued", "processing"]))
        .groupBy(imports.status);
      const queued = rows.find((row) => row.status === "queued");
      const [done] = await db
        .select({
          completed: sql<number>`count(*) filter (where status = 'completed')::int`,
          failed: sql<number>`count(*) filter (where status = 'failed')::int`,
        })
        .from(imports);
      return {
        waiting: queued?.n ?? 0,
        active: rows.find((row) => row.status === "processing")?.n ?? 0,
        delayed: 0,
        failed: done?.failed ?? 0,
        completed: done?.completed ?? 0,
        oldestWaitingAgeSeconds: queued?.oldest
          ? Math.max(0, (Date.now() - queued.oldest.getTime()) / 1000)
          : null,
      };
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      stopped = true;
      clearInterval(timer);
      if (running > 0) await new Promise<void>((resolve) => idle.add(resolve));
    },
  };
}
