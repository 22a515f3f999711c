import { and, isNotNull, lt, or } from "drizzle-orm";

import type { CleanupResult } from "@runway/contracts";
import { idempotencyKeys, revokedSessions, sessions } from "@runway/db";

import type { Core } from "./context";

/** Revoked sessions stay a week for investigations, then go with their refresh tokens. */
const REVOKED_SESSION_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * The scheduled cleanup (worker) and POST /v1/admin/maintenance/cleanup: expired revocation
 * records, dead sessions (their refresh tokens cascade) and expired idempotency keys.
 */
export async function runCleanup(core: Core): Promise<CleanupResult> {
  const now = core.now();
  const revoked = await core.db
    .delete(revokedSessions)
    .where(lt(revokedSessions.expiresAt, now))
    .returning({ id: revokedSessions.sessionId });
  const dead = await core.db
    .delete(sessions)
    .where(
      or(
        lt(sessions.expiresAt, now),
        lt(sessions.lastUsedAt, new Date(now.getTime() - core.auth.refreshIdleTtl * 1000)),
        and(
          isNotNull(sessions.revokedAt),
          lt(sessions.revokedAt, new Date(now.getTime() - REVOKED_SESSION_RETENTION_MS)),
        ),
      ),
    )
    .returning({ id: sessions.id });
  const keys = await core.db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.expiresAt, now))
    .returning({ key: idempotencyKeys.key });
  return {
    deleted: {
      revokedSessions: revoked.length,
      sessions: dead.length,
      idempotencyKeys: keys.length,
    },
  };
}
