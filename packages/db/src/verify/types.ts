export type CheckStatus = "pass" | "warn" | "fail";

/** One line of the report: what was checked, how it went, and why, in one sentence. */
export interface DatabaseCheck {
  name: string;
  status: CheckStatus;
  reason: string;
}

export interface DatabaseReport {
  /** The worst status of any check. */
  status: CheckStatus;
  checkedAt: string;
  checks: DatabaseCheck[];
}

export interface VerifyOptions {
  /** Production requires TLS; elsewhere its absence is a warning. */
  production: boolean;
  /** Connections each API or worker process opens at most (DATABASE_POOL_SIZE). */
  poolSize: number;
  apiReplicas: number;
  workerReplicas: number;
  /** The committed migrations (drizzle's folder with meta/_journal.json). */
  migrationsFolder: string;
  /** Oldest supported major version; MINIMUM_SERVER_VERSION unless a test raises it. */
  minimumVersion?: number;
  /** The application's clock, compared with the server's. */
  now?: () => number;
}

/** Oldest PostgreSQL major version the migrations and queries are tested on. */
export const MINIMUM_SERVER_VERSION = 15;
/** Connections kept free for migrations, psql sessions and monitoring. */
export const CONNECTION_HEADROOM = 5;
export const MAX_CLOCK_SKEW_MS = 1000;
