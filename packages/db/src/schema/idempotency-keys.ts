import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";

import { createdAt, ownedBy, tz } from "./columns";
import { imports } from "./imports";
import { users } from "./users";

/** Idempotency-Key records, per user: the request fingerprint and, once done, the response. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: ownedBy(() => users.id),
    key: text().notNull(),
    /** HMAC of the request under a key derived from PII_HASH_KEY: it is derived from PII. */
    fingerprint: text().notNull(),
    /** The import the request created: erasing it erases this record too. */
    importId: uuid().references(() => imports.id, { onDelete: "cascade" }),
    /** Null while the first request is in flight. */
    responseStatus: integer(),
    responseBody: jsonb(),
    createdAt: createdAt(),
    lockedUntil: tz().notNull(),
    expiresAt: tz().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.key] }),
    index("idempotency_keys_expires_at_idx").on(t.expiresAt),
    index("idempotency_keys_import_id_idx").on(t.importId),
  ],
);
