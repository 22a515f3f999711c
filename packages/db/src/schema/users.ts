import { sql } from "drizzle-orm";
import { index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import { createdAt, updatedAt } from "./columns";

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Normalized: trimmed and lower-cased before it gets here. */
    email: text().notNull(),
    displayName: text(),
    passwordHash: text().notNull(),
    /** HMAC-SHA256(PII_HASH_KEY, email): how imported contacts find registered users. */
    emailHash: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    index("users_email_hash_idx").on(t.emailHash),
    // Admin listing: newest first with a keyset cursor.
    index("users_created_at_id_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Admin search by display name fragment.
    index("users_display_name_lower_idx").on(sql`lower(${t.displayName})`),
  ],
);
