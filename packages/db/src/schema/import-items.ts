import { boolean, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

import { ownedBy } from "./columns";
import { imports } from "./imports";

/**
 * One submitted contact. Raw values never get here: only HMAC-SHA256 hashes of the normalized
 * email and phone, and masked previews.
 */
export const importItems = pgTable(
  "import_items",
  {
    importId: ownedBy(() => imports.id),
    idx: integer().notNull(),
    status: text().$type<"valid" | "invalid" | "duplicate">().notNull(),
    reason: text().$type<"EMPTY" | "INVALID_EMAIL" | "INVALID_PHONE">(),
    emailHash: text(),
    phoneHash: text(),
    nameMasked: text(),
    emailMasked: text(),
    phoneMasked: text(),
    matched: boolean().notNull().default(false),
  },
  // The primary key is the only index: every read and delete of items goes by import. An index on
  // email_hash served no query and cost the largest table a third of its disk and each 10,000-item
  // insert about 15 % of its time (docs/performance.md, tenth pass).
  (t) => [primaryKey({ columns: [t.importId, t.idx] })],
);
