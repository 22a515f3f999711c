import { describe, expect, it } from "vitest";

import type { ImportJobPayload } from "@runway/contracts";

import type { ImportConsumer, ImportJobStore } from "./types";
import { createPostgresDispatcher } from "./postgres";

const payload = (n: number): ImportJobPayload => ({
  importId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  requestId: null,
});

/**
 * The dispatcher only moves jobs; core's store (tested against PostgreSQL in packages/core)
 * owns the imports table. Here a list stands in for it, to pin what the dispatcher decides.
 */
function listStore(jobs: ImportJobPayload[], outcome: "scheduled" | "exhausted" | "gone") {
  const retries: string[] = [];
  const store: ImportJobStore = {
    claim: () => Promise.resolve(jobs.shift() ?? null),
    retryLater(importId) {
      retries.push(importId);
      return Promise.resolve(outcome);
    },
    state: () => Promise.resolve("missing"),
    counts: () => Promise.reject(new Error("not used")),
    ping: () => Promise.resolve(),
  };
  return { store, retries };
}

function dispatcher(
  store: ImportJobStore,
  consumer: Pick<ImportConsumer, "handler" | "onExhausted">,
) {
  return createPostgresDispatcher({
    store,
    policy: { attempts: 2, backoffMs: 10 },
    concurrency: 2,
    leaseMs: 1000,
    pollMs: 20,
    onError: () => undefined,
    ...consumer,
  });
}

describe("the PostgreSQL dispatcher", () => {
  it("runs at most `concurrency` jobs at once and drains the store; close waits for them", async () => {
    const { store } = listStore([1, 2, 3, 4, 5].map(payload), "scheduled");
    let running = 0;
    let peak = 0;
    const done: string[] = [];
    const queue = dispatcher(store, {
      handler: async (job) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        done.push(job.importId);
      },
      onExhausted: () => Promise.resolve(),
    });
    queue.start();
    await expect.poll(() => done.length).toBe(5);
    await queue.close();
    expect(peak).toBe(2);
    expect(running).toBe(0);
  });

  it("asks the store to retry a failed attempt and settles only an exhausted import", async () => {
    for (const [outcome, settled] of [
      ["scheduled", []],
      ["gone", []],
      ["exhausted", [[payload(7), "boom"]]],
    ] as const) {
      const { store, retries } = listStore([payload(7)], outcome);
      const exhausted: [ImportJobPayload, string][] = [];
      const queue = dispatcher(store, {
        handler: () => Promise.reject(new Error("boom")),
        onExhausted: (job, error) => {
          exhausted.push([job, error]);
          return Promise.resolve();
        },
      });
      queue.start();
      await expect.poll(() => retries).toEqual([payload(7).importId]);
      await queue.close();
      expect(exhausted).toEqual(settled);
    }
  });

  it("delegates state, counts and ping to the store and never refuses an enqueue", async () => {
    const { store } = listStore([], "scheduled");
    const queue = dispatcher(store, {
      handler: () => Promise.resolve(),
      onExhausted: () => Promise.resolve(),
    });
    expect(queue.backend).toBe("postgres");
    expect(await queue.enqueue(payload(8))).toBe(true);
    expect(await queue.inspect(payload(8).importId)).toBe("missing");
    await expect(queue.ping()).resolves.toBeUndefined();
    await queue.close();
  });
});
