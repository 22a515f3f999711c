import type { AuthConfig } from "@runway/config";
import type { Database } from "@runway/db";
import type { ImportQueue } from "@runway/queue";

import type { AccessTokens } from "./access-token";
import type { PiiKey } from "./pii";
import type { RevocationList } from "./revocations";

/** What every domain function needs: the database, auth settings and a clock. */
export interface Core {
  db: Database;
  auth: AuthConfig;
  tokens: AccessTokens;
  revocations: RevocationList;
  now: () => Date;
  imports: ImportSettings;
  events: CoreEvents;
}

/** What the domain reports as it happens, for metrics. */
export interface CoreEvents {
  refresh(
    outcome: "rotated" | "replayed" | "reuse_detected" | "revoked" | "expired" | "invalid",
  ): void;
}

export interface ImportSettings {
  piiKey: PiiKey;
  /** Derived from the PII key: request fingerprints hold PII, so they are keyed too. */
  fingerprintKey: Buffer;
  idempotencyTtl: number;
  /** Fault injection for failure tests: imports from this source always fail. */
  failSource: string | null;
}

/** Who is asking, for the audit trail. Never contains PII. */
export interface RequestMeta {
  requestId: string | null;
}

/**
 * Where accepted imports are handed over, and where a failed hand-over is reported (it never
 * fails the request: PostgreSQL holds the import and the sweeper dispatches it later).
 */
export interface Dispatch {
  queue: ImportQueue;
  reportError(message: string, error: unknown): void;
}
