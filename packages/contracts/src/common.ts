import { z } from "zod";

export const IsoDateTimeSchema = z.iso.datetime({ offset: true }).meta({
  description: "An ISO-8601 timestamp in UTC.",
  example: "2026-11-26T10:00:00.000Z",
});

export const UuidSchema = z.uuid().meta({
  description: "A UUID.",
  example: "6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11",
});

export const PageLimitSchema = z.number().int().min(1).max(100).default(20).meta({
  description: "Page size, 1 to 100.",
  example: 20,
});

export const CursorSchema = z.string().min(1).max(200).meta({
  description: "Opaque cursor from the previous page's `nextCursor`.",
});

export const NextCursorSchema = z.string().nullable().meta({
  description: "Cursor of the next page, or null on the last page.",
});
