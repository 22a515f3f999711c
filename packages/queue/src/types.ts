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

/** Called once when an import's attempts are spent. */
export type ExhaustedHandler = (payload: ImportJobPayload, error: string) => Promise<void>;

/** What a consumer of either queue does with jobs, and how it reports trouble. */
export interface ImportConsumer {
  policy: RetryPolicy;
  concurrency: number;
  handler: ImportJobHandler;
  onExhausted: ExhaustedHandler;
  onError: (error: unknown) => void;
}

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/**
 * The imports table seen as a queue, for the PostgreSQL dispatcher. Core implements it: every
 * change of an import's status is core's; the dispatcher only decides when to call these.
 */
export interface ImportJobStore {
  /** Takes the next due import and holds it for `leaseMs`; null when none is due. */
  claim(leaseMs: number): Promise<ImportJobPayload | null>;
  /**
   * After a failed attempt: schedules the next one with backoff ("scheduled"), or reports that
   * the attempts are spent ("exhausted") or the import is gone ("gone").
   */
  retryLater(importId: string, policy: RetryPolicy): Promise<"scheduled" | "exhausted" | "gone">;
  state(importId: string): Promise<JobState>;
  counts(): Promise<QueueCounts>;
  ping(): Promise<void>;
}
