import { z } from "zod";

import {
  AuditCursorSchema,
  AuditEventTypeSchema,
  CursorSchema,
  ImportStatusSchema,
  IndexCursorSchema,
  UuidSchema,
} from "@runway/contracts";

/**
 * Each screen's filters, validated from the URL with the API's own schemas; a value the API
 * would refuse is dropped rather than sent.
 */
const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

export const OverviewSearch = z.object({
  minutes: z
    .union([z.literal(15), z.literal(30), z.literal(60)])
    .optional()
    .catch(undefined),
});
export const UsersSearch = z.object({
  query: optional(z.string().trim().min(1).max(254)),
  cursor: optional(CursorSchema),
});
export const ImportsSearch = z.object({
  status: optional(ImportStatusSchema),
  cursor: optional(CursorSchema),
});
export const ImportDetailSearch = z.object({ items: optional(IndexCursorSchema) });
export const QueueSearch = z.object({ cursor: optional(CursorSchema) });
export const AuditSearch = z.object({
  type: optional(AuditEventTypeSchema),
  userId: optional(UuidSchema),
  cursor: optional(AuditCursorSchema),
});
