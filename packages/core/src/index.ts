import type { AuthConfig, Config } from "@runway/config";
import type { Database } from "@runway/db";

import type { Core, CoreEvents } from "./context";
import { AccessTokens } from "./access-token";
import { fingerprintKey, piiKey } from "./pii";
import { RevocationList } from "./revocations";

export { AccessTokens, CLOCK_LEEWAY_SECONDS } from "./access-token";
export { adminGetImport, getUserDetail } from "./admin-views";
export { listAuditEvents } from "./audit";
export { consoleRefresh, consoleSignIn } from "./console-session";
export type { ConsoleTokens } from "./console-session";
export type { Core, CoreEvents, Dispatch, ImportSettings, RequestMeta } from "./context";
export * from "./dead-letters";
export * from "./imports";
export { importJobStore } from "./import-jobs";
export { importTimeP95 } from "./import-stats";
export * from "./import-processing";
export * from "./maintenance";
export { hashEmail, maskPhone, normalizeItem, piiKey } from "./pii";
export { AppError } from "./errors";
export { maskEmail } from "./mask";
export {
  ARGON2_PARAMS,
  assertPasswordPolicy,
  hashPassword,
  limitPasswordHashing,
  needsRehash,
  passwordGate,
  verifyPassword,
} from "./password";
export { BusyError, WorkGate } from "./work-gate";
export { RevocationList } from "./revocations";
export { authenticate, logout, refreshSession } from "./sessions";
export * from "./users";

export interface CoreOptions {
  db: Database;
  auth: AuthConfig;
  piiHashKey: string;
  idempotencyTtl?: number;
  failSource?: string | null;
  now?: () => Date;
  events?: CoreEvents;
}

export function createCore(options: CoreOptions): Core {
  const now = options.now ?? (() => new Date());
  return {
    db: options.db,
    auth: options.auth,
    tokens: new AccessTokens(options.auth),
    revocations: new RevocationList(options.db, now),
    now,
    imports: {
      piiKey: piiKey(options.piiHashKey),
      fingerprintKey: fingerprintKey(options.piiHashKey),
      idempotencyTtl: options.idempotencyTtl ?? 24 * 3600,
      failSource: options.failSource ?? null,
    },
    events: options.events ?? { refresh: () => undefined },
  };
}
export * from "./sweeper";

/** The core of a process configured by the environment: the API, the worker, the CLIs. */
export function coreFromConfig(
  db: Database,
  config: Config,
  now?: () => Date,
  events?: CoreEvents,
): Core {
  return createCore({
    ...(events ? { events } : {}),
    db,
    auth: config.auth,
    piiHashKey: config.piiHashKey,
    idempotencyTtl: config.idempotencyTtl,
    failSource: config.jobs.failSource,
    ...(now ? { now } : {}),
  });
}
