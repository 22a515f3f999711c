import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { bigint, bigserial, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

import { createdAt, ownedBy, tz } from "./columns";
import { sessions } from "./sessions";

/** Refresh tokens are stored only as SHA-256 hashes, linked parent to child. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    sessionId: ownedBy(() => sessions.id),
    tokenHash: text().notNull(),
    parentId: bigint({ mode: "number" }).references((): AnyPgColumn => refreshTokens.id, {
      onDelete: "cascade",
    }),
    createdAt: createdAt(),
    /** Set when this token was exchanged for its child; a used token is never valid again. */
    usedAt: tz(),
  },
  (t) => [
    uniqueIndex("refresh_tokens_token_hash_key").on(t.tokenHash),
    index("refresh_tokens_session_id_idx").on(t.sessionId),
    index("refresh_tokens_parent_id_idx").on(t.parentId),
  ],
);
