import { z } from "zod";

import {
  CursorSchema,
  IndexCursorSchema,
  IsoDateTimeSchema,
  NextCursorSchema,
  PageLimitSchema,
  TEXT_PATTERN,
  UuidSchema,
} from "./common";

export const IMPORT_MAX_ITEMS = 10_000;

export const ImportStatusSchema = z.enum(["queued", "processing", "completed", "failed"]).meta({
  id: "ImportStatus",
  description: "queued -> processing -> completed | failed.",
});
export type ImportStatus = z.infer<typeof ImportStatusSchema>;

export const ImportItemStatusSchema = z.enum(["valid", "invalid", "duplicate"]).meta({
  id: "ImportItemStatus",
  description:
    "`invalid` items carry a reason; `duplicate` repeats an earlier item of the same import.",
});

export const InvalidReasonSchema = z
  .enum(["EMPTY", "INVALID_EMAIL", "INVALID_PHONE", "MALFORMED_TEXT"])
  .meta({
    id: "InvalidReason",
    description:
      "Why an item is invalid. MALFORMED_TEXT: a field holds a lone UTF-16 surrogate (not Unicode text).",
  });
export type InvalidReason = z.infer<typeof InvalidReasonSchema>;

export const ImportItemInputSchema = z
  .strictObject({
    name: z
      .string()
      .max(200)
      .regex(TEXT_PATTERN)
      .optional()
      .meta({ description: "Display name; only a masked preview is kept.", example: "Jane Doe" }),
    phone: z
      .string()
      .max(64)
      .regex(TEXT_PATTERN)
      .optional()
      .meta({ description: "Phone number, any common format.", example: "+82 10-1234-5678" }),
    email: z
      .string()
      .max(320)
      .regex(TEXT_PATTERN)
      .optional()
      .meta({ description: "Email address.", example: "jane@example.com" }),
  })
  .meta({
    id: "ImportItemInput",
    description: "One contact; an item with none of the fields is counted invalid.",
  });
export type ImportItemInput = z.infer<typeof ImportItemInputSchema>;

export const CreateImportInputSchema = z
  .strictObject({
    source: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9._:-]+$/)
      .meta({
        description: "Where the contacts come from.",
        example: "android-contacts",
      }),
    defaultRegion: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional()
      .meta({
        description: "ISO 3166-1 alpha-2 region for phone numbers without a country code.",
        example: "KR",
      }),
    items: z.array(ImportItemInputSchema).min(1).max(IMPORT_MAX_ITEMS),
  })
  .meta({ id: "CreateImportRequest" });
export type CreateImportInput = z.infer<typeof CreateImportInputSchema>;

export const ImportSchema = z
  .object({
    id: UuidSchema.meta({ description: "The import's id, for polling and for its items." }),
    status: ImportStatusSchema,
    source: z.string(),
    totalItems: z.number().int(),
    validItems: z.number().int().meta({ description: "Valid items, duplicates excluded." }),
    invalidItems: z.number().int(),
    duplicateItems: z.number().int(),
    matchedItems: z.number().int().meta({ description: "Items matching a registered user." }),
    attempts: z.number().int(),
    error: z.string().nullable(),
    createdAt: IsoDateTimeSchema,
    startedAt: IsoDateTimeSchema.nullable(),
    completedAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: "Import" });
export type Import = z.infer<typeof ImportSchema>;

export const ImportResponseSchema = z
  .object({ import: ImportSchema })
  .meta({ id: "ImportResponse" });
export type ImportResponse = z.infer<typeof ImportResponseSchema>;

export const ImportItemSchema = z
  .object({
    index: z.number().int().meta({ description: "Position in the submitted items, from 0." }),
    status: ImportItemStatusSchema,
    reason: InvalidReasonSchema.nullable(),
    nameMasked: z.string().nullable().meta({ example: "J***" }),
    emailMasked: z.string().nullable().meta({ example: "j***@example.com" }),
    phoneMasked: z.string().nullable().meta({ example: "+82 10-****-5678" }),
    matched: z.boolean(),
  })
  .meta({ id: "ImportItem" });
export type ImportItem = z.infer<typeof ImportItemSchema>;

export const ListImportsInputSchema = z.strictObject({
  limit: PageLimitSchema,
  cursor: CursorSchema.optional(),
  status: ImportStatusSchema.optional(),
});

export const ImportPageSchema = z
  .object({ items: z.array(ImportSchema), nextCursor: NextCursorSchema })
  .meta({ id: "ImportPage" });

export const ImportIdInputSchema = z.strictObject({ importId: UuidSchema });

export const ListImportItemsInputSchema = z.strictObject({
  importId: UuidSchema,
  limit: PageLimitSchema,
  cursor: IndexCursorSchema.optional(),
});

export const ImportItemPageSchema = z
  .object({ items: z.array(ImportItemSchema), nextCursor: NextCursorSchema })
  .meta({ id: "ImportItemPage" });

/** What goes on the queue: ids only, never contact data. */
export const ImportJobPayloadSchema = z.object({
  importId: UuidSchema,
  requestId: z.string().max(128).nullable(),
});
export type ImportJobPayload = z.infer<typeof ImportJobPayloadSchema>;

export const AdminImportWithOwnerSchema = ImportSchema.extend({ userId: UuidSchema }).meta({
  id: "AdminImport",
});

export const AdminListImportsInputSchema = ListImportsInputSchema;
export const AdminImportPageSchema = z
  .object({ items: z.array(AdminImportWithOwnerSchema), nextCursor: NextCursorSchema })
  .meta({ id: "AdminImportPage" });

export const QueueStatsSchema = z
  .object({
    backend: z.enum(["bullmq", "postgres"]),
    waiting: z.number().int(),
    active: z.number().int(),
    delayed: z.number().int(),
    failed: z.number().int(),
    completed: z.number().int(),
    oldestWaitingAgeSeconds: z
      .number()
      .nullable()
      .meta({ description: "Age of the oldest waiting job, or null." }),
    deadLetters: z.number().int(),
  })
  .meta({ id: "QueueStats" });
export type QueueStats = z.infer<typeof QueueStatsSchema>;

const ratio = (description: string) => z.number().min(0).max(1).nullable().meta({ description });
const seconds = (description: string) => z.number().min(0).nullable().meta({ description });

export const MetricsSummarySchema = z
  .object({
    windowSeconds: z
      .number()
      .int()
      .meta({ description: "Length of the window the traffic figures cover (this API replica)." }),
    requests: z.number().int().meta({ description: "API requests (/v1 and /trpc) in the window." }),
    latencyP50Seconds: seconds("Median request latency, or null without requests."),
    latencyP95Seconds: seconds("95th percentile request latency, or null without requests."),
    clientErrorRatio: ratio("Share of requests answered 4xx."),
    serverErrorRatio: ratio("Share of requests answered 5xx."),
    queueDepth: z.number().int().meta({ description: "Imports waiting, delayed or in progress." }),
    oldestWaitingAgeSeconds: seconds("Age of the oldest waiting import, or null."),
    jobTimeP95Seconds: seconds(
      "95th percentile processing time of the imports created in the last hour that have completed (all workers).",
    ),
    deadLetters: z.number().int(),
    revokeHitRate: ratio(
      "Share of refresh attempts that presented a token of a revoked or reused session.",
    ),
  })
  .meta({ id: "MetricsSummary" });
export type MetricsSummary = z.infer<typeof MetricsSummarySchema>;

export const DeadLetterSchema = z
  .object({
    id: UuidSchema,
    importId: UuidSchema.meta({ description: "The import whose attempts are spent." }),
    error: z.string(),
    attempts: z.number().int(),
    createdAt: IsoDateTimeSchema,
  })
  .meta({ id: "DeadLetter" });
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

export const DeadLetterPageSchema = z
  .object({ items: z.array(DeadLetterSchema), nextCursor: NextCursorSchema })
  .meta({ id: "DeadLetterPage" });

export const ListDeadLettersInputSchema = z.strictObject({
  limit: PageLimitSchema,
  cursor: CursorSchema.optional(),
});
export const DeadLetterIdInputSchema = z.strictObject({ deadLetterId: UuidSchema });

export const CleanupResultSchema = z
  .object({
    deleted: z.object({
      revokedSessions: z.number().int(),
      sessions: z.number().int(),
      idempotencyKeys: z.number().int(),
    }),
  })
  .meta({ id: "CleanupResult" });
export type CleanupResult = z.infer<typeof CleanupResultSchema>;
