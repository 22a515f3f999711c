import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { ImportJobPayload } from "@runway/contracts";
import type { RedisServer } from "@runway/test-harness";
import { startRedis } from "@runway/test-harness";

import type { RunningWorker } from "./bullmq";
import type { ImportConsumer, ImportQueue } from "./types";
import { createBullImportQueue, startBullWorker } from "./bullmq";

const policy = { attempts: 2, backoffMs: 10 };
const payload = (n: number): ImportJobPayload => ({
  importId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  requestId: `req-${String(n)}`,
});

describe("BullMQ queue and worker on a real Redis", () => {
  let redis: RedisServer;
  let queue: ImportQueue;
  let worker: RunningWorker | undefined;
  const queueErrors: unknown[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    queue = createBullImportQueue(redis.url, policy, (error) => queueErrors.push(error));
  });
  afterEach(async () => {
    await worker?.close(1000);
    worker = undefined;
  });
  afterAll(async () => {
    await queue.close();
    await redis.destroy();
  });

  function consume(consumer: Pick<ImportConsumer, "handler" | "onExhausted">) {
    worker = startBullWorker({
      redisUrl: redis.url,
      lockMs: 5000,
      policy,
      concurrency: 2,
      onError: () => undefined,
      ...consumer,
    });
  }

  it("delivers an enqueued job once, with its attempt number", async () => {
    const seen: [ImportJobPayload, number][] = [];
    consume({
      handler: (job, attempt) => {
        seen.push([job, attempt]);
        return Promise.resolve();
      },
      onExhausted: () => Promise.reject(new Error("not expected")),
    });
    expect(await queue.enqueue(payload(1))).toBe(true);
    await expect.poll(() => queue.inspect(payload(1).importId)).toBe("completed");
    expect(seen).toEqual([[payload(1), 1]]);
    expect(await queue.inspect(payload(99).importId)).toBe("missing");
  });

  it("retries a failing job, reports it exhausted once, and requeue runs it again", async () => {
    let failing = true;
    const attempts: number[] = [];
    const exhausted: [ImportJobPayload, string][] = [];
    const statesWhenReported: string[] = [];
    consume({
      handler: (_job, attempt) => {
        attempts.push(attempt);
        return failing ? Promise.reject(new Error("boom")) : Promise.resolve();
      },
      onExhausted: async (job, error) => {
        exhausted.push([job, error]);
        // Reported while the job is still active, before BullMQ marks it failed: the sweeper
        // must never see it failed with its import still pending.
        statesWhenReported.push(await queue.inspect(job.importId));
      },
    });
    await queue.enqueue(payload(2));
    await expect.poll(() => exhausted).toEqual([[payload(2), "boom"]]);
    expect(attempts).toEqual([1, 2]);
    await expect.poll(() => queue.inspect(payload(2).importId)).toBe("failed");
    expect(statesWhenReported).toEqual(["active"]);

    failing = false;
    await queue.requeue(payload(2));
    await expect.poll(() => queue.inspect(payload(2).importId)).toBe("completed");
    expect(attempts).toEqual([1, 2, 1]);
    expect(exhausted).toHaveLength(1);
  });

  it("counts waiting jobs and the oldest one's age", async () => {
    await queue.enqueue(payload(3));
    await queue.enqueue(payload(4));
    const counts = await queue.counts();
    expect(counts).toMatchObject({ waiting: 2, active: 0 });
    expect(counts.oldestWaitingAgeSeconds).toBeGreaterThanOrEqual(0);
  });

  it("does not hang while Redis is down: enqueue answers false and reports why", async () => {
    await redis.stop({ crash: true });
    try {
      const started = Date.now();
      expect(await queue.enqueue(payload(5))).toBe(false);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(queueErrors.length).toBeGreaterThan(0);
      await expect(queue.ping()).rejects.toBeInstanceOf(Error);
    } finally {
      await redis.start();
    }
    await expect.poll(() => queue.enqueue(payload(6)), { timeout: 10_000 }).toBe(true);
  });
});
