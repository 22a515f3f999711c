import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";

import { createdAt, ownedBy, tz } from "./columns";
import { users } from "./users";

/** One login: the family that its chain of refresh tokens belongs to. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: ownedBy(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: tz().notNull().defaultNow(),
    /** Absolute lifetime: no refresh extends a session past this. */
    expiresAt: tz().notNull(),
    revokedAt: tz(),
    revokedReason: text(),
  },
  (t) => [
    index("sessions_user_id_idx").on(t.userId),
    index("sessions_expires_at_idx").on(t.expiresAt),
  ],
);
