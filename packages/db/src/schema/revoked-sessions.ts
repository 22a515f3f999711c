import { index, pgTable, uuid } from "drizzle-orm/pg-core";

import { createdAt, tz } from "./columns";

/**
 * Sessions whose access tokens must stop working before they expire. Every API replica polls
 * this table, so a revocation reaches all of them within seconds. A row is only needed until
 * the last access token of its session has expired (`expiresAt`).
 */
export const revokedSessions = pgTable(
  "revoked_sessions",
  {
    sessionId: uuid().primaryKey(),
    revokedAt: createdAt(),
    expiresAt: tz().notNull(),
  },
  (t) => [
    index("revoked_sessions_revoked_at_idx").on(t.revokedAt),
    index("revoked_sessions_expires_at_idx").on(t.expiresAt),
  ],
);
