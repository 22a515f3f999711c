import type { DatabaseReportOutput } from "@runway/contracts";
import type { Core } from "@runway/core";
import type { HistoryPoint, TrafficSummary } from "@runway/observability";
import type { ImportQueue } from "@runway/queue";

import type { RateLimits } from "./rate-limits";

/**
 * The console's refresh-token cookie, as the HTTP layer sees it. Only the console procedures
 * read it, and only when `csrfPassed` (the custom header and a same-site Origin were present).
 */
export interface ConsoleCookie {
  refreshToken: string | undefined;
  csrfPassed: boolean;
  set: (refreshToken: string, maxAgeSeconds: number) => void;
  clear: () => void;
}

/** Per-request context, built by the HTTP layer for both /trpc and /v1. */
export interface Context {
  core: Core;
  queue: ImportQueue;
  limits: RateLimits;
  requestId: string;
  /** Rate-limit bucket of the client address (IPv6 per /64). */
  clientIp: string;
  /** The raw Authorization header; checked only by procedures that need a user. */
  authorization: string | undefined;
  /** The raw Idempotency-Key header; parsed by the procedures that require one. */
  idempotencyKey: string | undefined;
  setHeader: (name: string, value: string) => void;
  /** Tells the HTTP layer who is calling, for the access log. */
  setUserId: (userId: string) => void;
  /** This replica's recent traffic, for the admin console's metrics summary. */
  traffic: () => Promise<TrafficSummary>;
  /** Runs the db:verify checks against this replica's database (pool sizes from its config). */
  verifyDatabase: () => Promise<DatabaseReportOutput>;
  /** Counts contacts looked up against registered accounts (account discovery), for metrics. */
  recordMatchLookups: (count: number) => void;
  /** Counts a call of a deprecated operation (by operationId) in the metrics. */
  deprecatedCall: (operationId: string) => void;
  /** This replica's figures over the last `minutes`, for the console's charts. */
  trafficHistory: (minutes: number) => Promise<{ stepMs: number; points: HistoryPoint[] }>;
  /** Absent outside /trpc: the REST surface never reads cookies. */
  consoleCookie?: ConsoleCookie;
  /** Reports a background failure that must not fail the request (e.g. Redis down at enqueue). */
  reportError: (message: string, error: unknown) => void;
}
