import { boolean, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

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
  (t) => [
    primaryKey({ columns: [t.importId, t.idx] }),
    index("import_items_email_hash_idx").on(t.emailHash),
  ],
);
