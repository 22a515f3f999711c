import { z } from "zod";

import { IsoDateTimeSchema, PageLimitSchema, UuidSchema } from "./common";
import { AdminImportWithOwnerSchema } from "./imports";
import { UserSchema } from "./users";

export const AUDIT_EVENT_TYPES = [
  "user.registered",
  "auth.login",
  "auth.login_failed",
  "auth.refresh",
  "auth.refresh_reuse_detected",
  "auth.logout",
  "auth.logout_all",
  "auth.password_changed",
  "admin.roles_changed",
  "admin.sessions_revoked",
] as const;
export const AuditEventTypeSchema = z.enum(AUDIT_EVENT_TYPES).meta({
  id: "AuditEventType",
  description: "What happened.",
});
export type AuditEventType = z.infer<typeof AuditEventTypeSchema>;

/** Audit events are ordered by their serial id, so the cursor is just the last id seen. */
export const AuditCursorSchema = z
  .string()
  .regex(/^\d{1,18}$/)
  .meta({ description: "Cursor from the previous page's `nextCursor`." });

export const ListAuditEventsInputSchema = z.strictObject({
  type: AuditEventTypeSchema.optional(),
  userId: UuidSchema.optional().meta({ description: "Only events about this user." }),
  limit: PageLimitSchema,
  cursor: AuditCursorSchema.optional(),
});
export type ListAuditEventsInput = z.infer<typeof ListAuditEventsInputSchema>;

export const AuditEventSchema = z
  .object({
    id: z.string().meta({ description: "Serial id, increasing with time.", example: "1042" }),
    type: AuditEventTypeSchema,
    userId: UuidSchema.nullable().meta({ description: "The user the event is about." }),
    actorId: UuidSchema.nullable().meta({ description: "The admin who acted, if not the user." }),
    sessionId: UuidSchema.nullable(),
    emailMasked: z.string().nullable().meta({ example: "j***@example.com" }),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.string()).meta({
      description: "Event-specific facts, as strings (for example roles before and after).",
    }),
    createdAt: IsoDateTimeSchema,
  })
  .meta({ id: "AuditEvent" });
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const AuditEventPageSchema = z
  .object({
    items: z.array(AuditEventSchema),
    nextCursor: z.string().nullable().meta({ description: "Cursor of the next page, or null." }),
  })
  .meta({ id: "AuditEventPage" });

export const MetricsHistoryInputSchema = z.strictObject({
  minutes: z.number().int().min(5).max(60).default(15).meta({
    description: "How far back, 5 to 60 minutes.",
    example: 15,
  }),
});

const nullableNumber = (description: string) => z.number().nullable().meta({ description });

export const MetricsPointSchema = z
  .object({
    at: IsoDateTimeSchema,
    requests: z.number().int().meta({ description: "Requests since the previous point." }),
    latencyP50Seconds: nullableNumber("Median latency since the previous point."),
    latencyP95Seconds: nullableNumber("95th percentile latency since the previous point."),
    clientErrorRatio: nullableNumber("Share of 4xx since the previous point."),
    serverErrorRatio: nullableNumber("Share of 5xx since the previous point."),
    revokeHitRate: nullableNumber("Share of refreshes hitting revoked or reused sessions."),
    queueDepth: nullableNumber("Imports waiting, delayed or in progress at that time."),
    oldestWaitingAgeSeconds: nullableNumber("Oldest waiting import's age at that time."),
    jobTimeP95Seconds: nullableNumber(
      "Import processing p95 (imports created in the hour before) at that time.",
    ),
    deadLetters: nullableNumber("Dead letters at that time."),
  })
  .meta({ id: "MetricsPoint" });
export type MetricsPoint = z.infer<typeof MetricsPointSchema>;

export const MetricsHistorySchema = z
  .object({
    stepSeconds: z.number().int().meta({ description: "Spacing of the points." }),
    points: z.array(MetricsPointSchema).meta({ description: "Oldest first; this replica." }),
  })
  .meta({ id: "MetricsHistory" });
export type MetricsHistory = z.infer<typeof MetricsHistorySchema>;

export const SessionSummarySchema = z
  .object({
    id: UuidSchema,
    createdAt: IsoDateTimeSchema,
    lastUsedAt: IsoDateTimeSchema,
    expiresAt: IsoDateTimeSchema,
  })
  .meta({ id: "SessionSummary" });

export const AdminUserDetailSchema = z
  .object({ user: UserSchema, sessions: z.array(SessionSummarySchema) })
  .meta({ id: "AdminUserDetail", description: "A user and their active sessions." });
export type AdminUserDetail = z.infer<typeof AdminUserDetailSchema>;

export const AdminImportDetailSchema = z
  .object({
    import: AdminImportWithOwnerSchema.extend({
      requestId: z.string().nullable().meta({ description: "Request id of the creating call." }),
    }).meta({ id: "AdminImportDetailImport" }),
  })
  .meta({ id: "AdminImportDetail" });
export type AdminImportDetail = z.infer<typeof AdminImportDetailSchema>;

/** Console sign-in: the refresh token never reaches script, it travels in a cookie. */
export const ConsoleSessionSchema = z
  .object({
    user: UserSchema,
    accessToken: z.string(),
    expiresIn: z.number().int().meta({ description: "Access token lifetime in seconds." }),
  })
  .meta({ id: "ConsoleSession" });
export type ConsoleSession = z.infer<typeof ConsoleSessionSchema>;

/** The header every cookie-authenticated console call must carry (a cross-site form cannot). */
export const CSRF_HEADER = "x-runway-csrf";
export const CONSOLE_REFRESH_COOKIE = "runway_console_refresh";
