import { timestamp } from "drizzle-orm/pg-core";

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
