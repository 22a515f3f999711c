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

/**
 * Cursors are opaque to clients (pass back `nextCursor` as is), but their shape is documented
 * exactly so that any value of that shape is a valid position.
 */
export const CURSOR_PATTERN =
  /^\d{1,13}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Lists in submission order (an import's items): the last index seen. */
export const INDEX_CURSOR_PATTERN = /^\d{1,9}$/;

/** A cursor in a list ordered newest first: the last row's creation time (ms) and id. */
export const CursorSchema = z
  .string()
  .regex(CURSOR_PATTERN)
  .meta({ description: "Cursor from the previous page's `nextCursor`." });

export const IndexCursorSchema = z
  .string()
  .regex(INDEX_CURSOR_PATTERN)
  .meta({ description: "Cursor from the previous page's `nextCursor`." });

export const NextCursorSchema = z.string().nullable().meta({
  description: "Cursor of the next page, or null on the last page.",
});

/** Free text that PostgreSQL can store: anything but NUL characters. */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
export const TEXT_PATTERN = /^[^\u0000]*$/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * False for a string holding half of a UTF-16 surrogate pair (JSON can carry `"\ud83d"`): it
 * is not Unicode text, and PostgreSQL refuses to store it.
 */
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

export const WELL_FORMED = "Must be well-formed Unicode text";
