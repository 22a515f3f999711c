import type { AuditEventType, Executor } from "@runway/db";
import { auditEvents } from "@runway/db";

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
