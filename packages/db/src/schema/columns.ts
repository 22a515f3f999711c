import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Millisecond precision, like a JS Date: keyset cursors built from a Date then compare exactly
 * with the stored value.
 */
export const tz = () => timestamp({ withTimezone: true, mode: "date", precision: 3 });

export const createdAt = () => tz().notNull().defaultNow();
export const updatedAt = () =>
  tz()
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** A required reference to the row that owns this one: deleting the owner deletes it too. */
export const ownedBy = (owner: () => AnyPgColumn) =>
  uuid().notNull().references(owner, { onDelete: "cascade" });
