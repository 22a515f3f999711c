import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";

import type { ImportJobPayload } from "@runway/contracts";

import type { ImportConsumer, ImportQueue, QueueCounts, RetryPolicy } from "./types";

export const IMPORT_QUEUE = "imports";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
/** An enqueue that has not answered by then is treated as "Redis is down". */
const ENQUEUE_TIMEOUT_MS = 1500;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error("redis timeout"));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * The producer side, used by the API. Its connection fails fast (no offline queue) so a Redis
 * outage turns into "not enqueued, the sweeper will do it", never a hanging request.
 */
export function createBullImportQueue(
  redisUrl: string,
  policy: RetryPolicy,
  onError: (error: unknown) => void,
): ImportQueue {
  const connection = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  connection.on("error", onError);
  const queue = new Queue<ImportJobPayload>(IMPORT_QUEUE, { connection });
  queue.on("error", onError);

  const add = (payload: ImportJobPayload) =>
    queue.add("process", payload, {
      jobId: payload.importId,
      attempts: policy.attempts,
      backoff: { type: "exponential", delay: policy.backoffMs, jitter: 0.5 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });

  return {
    backend: "bullmq",
    async enqueue(payload) {
      try {
        await withTimeout(add(payload), ENQUEUE_TIMEOUT_MS);
        return true;
      } catch (error) {
        onError(error);
        return false;
      }
    },
    async requeue(payload) {
      const existing = await queue.getJob(payload.importId);
      if (existing) {
        const state = await existing.getState();
        if (state === "active") return;
        await existing.remove();
      }
      await withTimeout(add(payload), ENQUEUE_TIMEOUT_MS);
    },
    async inspect(importId) {
      const job = await withTimeout(queue.getJob(importId), ENQUEUE_TIMEOUT_MS);
      if (!job) return "missing";
      const state = await job.getState();
      if (state === "prioritized" || state === "waiting-children") return "waiting";
      if (state === "unknown") return "missing";
      return state;
    },
    async counts(): Promise<QueueCounts> {
      const counts = await withTimeout(
        queue.getJobCounts("waiting", "prioritized", "active", "delayed", "failed", "completed"),
        ENQUEUE_TIMEOUT_MS,
      );
      const [oldest] = await queue.getJobs(["waiting", "prioritized"], 0, 0, true);
      return {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        completed: counts.completed ?? 0,
        oldestWaitingAgeSeconds: oldest
          ? Math.max(0, (Date.now() - oldest.timestamp) / 1000)
          : null,
      };
    },
    async ping() {
      await withTimeout(connection.ping(), ENQUEUE_TIMEOUT_MS);
    },
    async close() {
      await Promise.race([queue.close().catch(() => undefined), sleep(2000)]);
      connection.disconnect();
    },
  };
}

export interface BullWorkerOptions extends ImportConsumer {
  redisUrl: string;
  lockMs: number;
}

export interface RunningWorker {
  /** Stops taking jobs; waits for active ones up to `graceMs`, then hands them back. */
  close(graceMs: number): Promise<void>;
}

/**
 * The consumer side, in the worker process. Its connection waits out Redis outages
 * (maxRetriesPerRequest: null), as BullMQ requires for workers.
 */
export function startBullWorker(options: BullWorkerOptions): RunningWorker {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  connection.on("error", options.onError);
  // The errors of last attempts already reported exhausted (below), so the `failed` event that
  // follows does not report them twice.
  const reported = new WeakSet<Error>();
  const worker = new Worker<ImportJobPayload>(
    IMPORT_QUEUE,
    async (job) => {
      const attempt = job.attemptsMade + 1;
      try {
        await options.handler(job.data, attempt);
      } catch (error) {
        // The last attempt is reported exhausted before BullMQ marks the job failed: the
        // sweeper settles a failed job whose import is still pending (with a reason of its
        // own), and must not find one in between.
        if (attempt >= (job.opts.attempts ?? 1) && error instanceof Error) {
          reported.add(error);
          await options.onExhausted(job.data, error.message).catch(options.onError);
        }
        throw error;
      }
    },
    {
      connection,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: Math.max(1000, Math.floor(options.lockMs / 2)),
      maxStalledCount: 3,
    },
  );
  worker.on("error", options.onError);
  // A job BullMQ fails without its last attempt throwing (stalled too often) is reported here.
  worker.on("failed", (job, error) => {
    if (!job || reported.has(error)) return;
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
      options.onExhausted(job.data, error.message).catch(options.onError);
    }
  });

  return {
    async close(graceMs) {
      const closing = worker.close();
      const timedOut = await Promise.race([
        closing.then(() => false),
        new Promise<boolean>((resolve) =>
          setTimeout(() => {
            resolve(true);
          }, graceMs).unref(),
        ),
      ]);
      // Past the grace period: force-close; unfinished jobs' locks lapse and another worker
      // (or this one, restarted) picks them up as stalled.
      if (timedOut) await Promise.race([worker.close(true).catch(options.onError), sleep(2000)]);
      connection.disconnect();
    },
  };
}

/** The queue whose job schedulers produce the recurring work (sweeper, maintenance cleanup). */
export const SCHEDULE_QUEUE = "scheduled";

export interface ScheduledTask {
  /** The job scheduler's id and its jobs' name. */
  id: string;
  everyMs: number;
  /** `slot`: the time this run was due; slots are `everyMs` apart, one job each. */
  run(slot: Date): Promise<void>;
}

export interface RunningSchedules {
  close(): Promise<void>;
}

/**
 * Recurring work with Redis. Every replica upserts the same job schedulers; a scheduler keeps one
 * job per slot (id `repeat:<id>:<slot>`, the next one added when the current one starts), so
 * however many replicas run, each slot is processed once, by whichever replica fetches it.
 */
export async function startBullSchedules(options: {
  redisUrl: string;
  tasks: ScheduledTask[];
  onError: (error: unknown) => void;
}): Promise<RunningSchedules> {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  connection.on("error", options.onError);
  const queue = new Queue(SCHEDULE_QUEUE, { connection });
  queue.on("error", options.onError);
  for (const task of options.tasks) {
    await queue.upsertJobScheduler(
      task.id,
      { every: task.everyMs },
      { name: task.id, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
    );
  }
  const worker = new Worker(
    SCHEDULE_QUEUE,
    async (job) => {
      // A scheduler's job id ends with the slot's due time in ms.
      const slot = Number(job.id?.split(":").at(-1));
      // Unknown names are jobs of a scheduler an older release left behind: nothing to run.
      await options.tasks
        .find((task) => task.id === job.name)
        ?.run(new Date(Number.isFinite(slot) ? slot : job.timestamp));
    },
    { connection, concurrency: 1 },
  );
  worker.on("error", options.onError);
  worker.on("failed", (_job, error) => {
    options.onError(error);
  });
  return {
    async close() {
      await Promise.race([worker.close().catch(options.onError), sleep(5000)]);
      await Promise.race([queue.close().catch(() => undefined), sleep(2000)]);
      connection.disconnect();
    },
  };
}
