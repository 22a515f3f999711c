import { index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";

import { createdAt, ownedBy } from "./columns";
import { imports } from "./imports";

/** Imports whose every attempt failed, kept for an admin to retry or discard. */
export const deadLetters = pgTable(
  "dead_letters",
  {
    id: uuid().primaryKey().defaultRandom(),
    importId: ownedBy(() => imports.id).unique(),
    error: text().notNull(),
    attempts: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("dead_letters_created_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);
