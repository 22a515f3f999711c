import type { ImportJobPayload } from "@runway/contracts";

import type { ImportConsumer, ImportJobStore, ImportQueue } from "./types";

export interface PostgresDispatcherOptions extends ImportConsumer {
  store: ImportJobStore;
  /** How long a claimed import is reserved before another dispatcher may take it. */
  leaseMs: number;
  pollMs: number;
}

export interface PostgresDispatcher extends ImportQueue {
  start(): void;
}

/**
 * The embedded default's queue: PostgreSQL itself, through the store core provides. This only
 * moves jobs: it polls for due imports, runs up to `concurrency` at once and, when an attempt
 * fails, asks the store to schedule the next one or settles the import as exhausted.
 */
export function createPostgresDispatcher(options: PostgresDispatcherOptions): PostgresDispatcher {
  const { store } = options;
  let running = 0;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  const idle = new Set<() => void>();

  async function settleFailure(payload: ImportJobPayload, error: unknown): Promise<void> {
    const outcome = await store.retryLater(payload.importId, options.policy);
    if (outcome !== "exhausted") return;
    await options.onExhausted(
      payload,
      error instanceof Error ? error.message : "processing failed",
    );
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
      const payload = await store.claim(options.leaseMs);
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
    inspect: (importId) => store.state(importId),
    counts: () => store.counts(),
    ping: () => store.ping(),
    async close() {
      stopped = true;
      clearInterval(timer);
      if (running > 0) await new Promise<void>((resolve) => idle.add(resolve));
    },
  };
}
