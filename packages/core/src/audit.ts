import { and, desc, eq, lt } from "drizzle-orm";

import type {
  AuditEventType,
  AuditEvent as AuditEventView,
  ListAuditEventsInput,
} from "@runway/contracts";
import type { Executor } from "@runway/db";
import { auditEvents } from "@runway/db";

import type { Core } from "./context";
import { AppError } from "./errors";
import { toPage } from "./pagination";

export interface AuditEvent {
  type: AuditEventType;
  userId?: string | null;
  actorId?: string | null;
  sessionId?: string | null;
  /** Already masked with maskEmail; never a raw address. */
  emailMasked?: string | null;
  requestId?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

export async function recordAudit(db: Executor, event: AuditEvent): Promise<void> {
  await db.insert(auditEvents).values(event);
}

/**
 * Audit events newest first. The serial id orders them (it grows with insertion time), so the
 * keyset cursor is the last id seen.
 */
export async function listAuditEvents(
  core: Core,
  input: Omit<ListAuditEventsInput, "limit"> & { limit: number },
): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
  const before = input.cursor === undefined ? null : Number(input.cursor);
  if (before !== null && !Number.isSafeInteger(before)) {
    throw new AppError("VALIDATION_FAILED", "Invalid cursor", [
      { path: "cursor", message: "Invalid cursor" },
    ]);
  }
  const rows = await core.db
    .select()
    .from(auditEvents)
    .where(
      and(
        input.type ? eq(auditEvents.type, input.type) : undefined,
        input.userId ? eq(auditEvents.userId, input.userId) : undefined,
        before === null ? undefined : lt(auditEvents.id, before),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(input.limit + 1);
  const page = toPage(rows, input.limit, (row) => String(row.id));
  return {
    items: page.items.map((row) => ({
      id: String(row.id),
      type: row.type,
      userId: row.userId,
      actorId: row.actorId,
      sessionId: row.sessionId,
      emailMasked: row.emailMasked,
      requestId: row.requestId,
      details: Object.fromEntries(
        Object.entries(row.details ?? {}).map(([key, value]) => [key, String(value)]),
      ),
      createdAt: row.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}
