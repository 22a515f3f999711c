import type { ImportJobPayload } from "@runway/contracts";

export type JobState = "waiting" | "active" | "delayed" | "completed" | "failed" | "missing";

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  oldestWaitingAgeSeconds: number | null;
}

/** Where accepted imports go to be processed: BullMQ on Redis, or PostgreSQL itself. */
export interface ImportQueue {
  readonly backend: "bullmq" | "postgres";
  /** Never throws: false means the queue is unreachable and the sweeper will dispatch later. */
  enqueue(payload: ImportJobPayload): Promise<boolean>;
  /** Replaces a finished job of the same import (admin retry, sweeper repair). */
  requeue(payload: ImportJobPayload): Promise<void>;
  inspect(importId: string): Promise<JobState>;
  counts(): Promise<QueueCounts>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Runs one attempt; throwing means the attempt failed. */
export type ImportJobHandler = (payload: ImportJobPayload, attempt: number) => Promise<void>;

/** Called once when an import's attempts are spent (or its error is permanent). */
export type ExhaustedHandler = (payload: ImportJobPayload, error: string) => Promise<void>;

/** What a consumer of either queue does with jobs, and how it reports trouble. */
export interface ImportConsumer {
  policy: RetryPolicy;
  concurrency: number;
  handler: ImportJobHandler;
  onExhausted: ExhaustedHandler;
  /** Errors for which the remaining attempts are skipped. */
  isPermanent: (error: unknown) => boolean;
  onError: (error: unknown) => void;
}

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/** Exponential backoff with jitter: base * 2^(n-1), scaled by a random factor in [0.5, 1]. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.round(policy.backoffMs * 2 ** Math.max(0, attempt - 1) * (0.5 + Math.random() * 0.5));
}
