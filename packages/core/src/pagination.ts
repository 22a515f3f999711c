import type { AnyColumn, SQL } from "drizzle-orm";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";

import { CURSOR_PATTERN, INDEX_CURSOR_PATTERN } from "@runway/contracts";

import { AppError } from "./errors";

/** A keyset position: the sort timestamp and the id that breaks ties. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

/** The columns of a table listed newest first. */
interface Keyset {
  createdAt: AnyColumn;
  id: AnyColumn;
}

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.createdAt.getTime()}_${cursor.id}`;
}

function invalidCursor(): AppError {
  return new AppError("VALIDATION_FAILED", "Invalid cursor", [
    { path: "cursor", message: "Invalid cursor" },
  ]);
}

export function decodeCursor(value: string): Cursor {
  if (!CURSOR_PATTERN.test(value)) throw invalidCursor();
  const split = value.indexOf("_");
  return { createdAt: new Date(Number(value.slice(0, split))), id: value.slice(split + 1) };
}

/** The rows after `cursor` in newest-first order; undefined (no condition) on the first page. */
export function keysetAfter(columns: Keyset, cursor: string | undefined): SQL | undefined {
  if (cursor === undefined) return undefined;
  const position = decodeCursor(cursor);
  return or(
    lt(columns.createdAt, position.createdAt),
    and(eq(columns.createdAt, position.createdAt), lt(columns.id, position.id)),
  );
}

/** keysetAfter for a prepared query: the position is bound as `afterCreatedAt` and `afterId`. */
export function keysetAfterPlaceholders(columns: Keyset): SQL | undefined {
  const createdAt = sql.placeholder("afterCreatedAt");
  return or(
    lt(columns.createdAt, createdAt),
    and(eq(columns.createdAt, createdAt), lt(columns.id, sql.placeholder("afterId"))),
  );
}

export function newestFirst(columns: Keyset): SQL[] {
  return [desc(columns.createdAt), desc(columns.id)];
}

/** Splits a `limit + 1` query result into a page and the cursor of the next one. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null,
  };
}

/** A position in an ordered list of items (their submission index). */
export function encodeIndexCursor(index: number): string {
  return String(index);
}

export function decodeIndexCursor(value: string): number {
  if (!INDEX_CURSOR_PATTERN.test(value)) throw invalidCursor();
  return Number(value);
}
