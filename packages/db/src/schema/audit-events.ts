import { bigserial, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";

import type { AuditEventType } from "@runway/contracts";

import { createdAt } from "./columns";

/** Security-relevant events. No PII beyond the user id and a masked email. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    type: text().$type<AuditEventType>().notNull(),
    userId: uuid(),
    actorId: uuid(),
    sessionId: uuid(),
    emailMasked: text(),
    requestId: text(),
    details: jsonb().$type<Record<string, string | number | boolean | null>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_events_user_id_created_at_idx").on(t.userId, t.createdAt.desc().nullsFirst()),
    index("audit_events_created_at_idx").on(t.createdAt),
  ],
);
