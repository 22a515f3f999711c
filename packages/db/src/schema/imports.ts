import { index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";

import { createdAt, ownedBy, tz } from "./columns";
import { users } from "./users";

export const IMPORT_STATUSES = ["queued", "processing", "completed", "failed"] as const;
export type ImportStatusValue = (typeof IMPORT_STATUSES)[number];

/** One upload of contacts. PostgreSQL is the source of truth for its state, not the queue. */
export const imports = pgTable(
  "imports",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: ownedBy(() => users.id),
    status: text().$type<ImportStatusValue>().notNull().default("queued"),
    source: text().notNull(),
    totalItems: integer().notNull(),
    validItems: integer().notNull().default(0),
    invalidItems: integer().notNull().default(0),
    duplicateItems: integer().notNull().default(0),
    matchedItems: integer().notNull().default(0),
    attempts: integer().notNull().default(0),
    error: text(),
    requestId: text(),
    createdAt: createdAt(),
    startedAt: tz(),
    completedAt: tz(),
    /** Embedded dispatcher: not before this time (retry backoff). */
    runAfter: tz().notNull().defaultNow(),
  },
  (t) => [
    // A user's imports, newest first (keyset pagination), optionally by status.
    index("imports_user_created_idx").on(
      t.userId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("imports_user_status_created_idx").on(
      t.userId,
      t.status,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // Admin listing, the sweeper and the embedded dispatcher: by status, oldest first.
    index("imports_status_created_idx").on(t.status, t.createdAt),
    index("imports_created_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);
