import { AppError } from "./errors";

/** A keyset position: the sort timestamp and the id that breaks ties. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.createdAt.getTime()}_${cursor.id}`;
}

const CURSOR = /^(\d{1,13})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

function invalidCursor(): AppError {
  return new AppError("VALIDATION_FAILED", "Invalid cursor", [
    { path: "cursor", message: "Invalid cursor" },
  ]);
}

export function decodeCursor(value: string): Cursor {
  const match = CURSOR.exec(value);
  const createdAt = new Date(Number(match?.[1]));
  if (!match?.[2] || Number.isNaN(createdAt.getTime())) throw invalidCursor();
  return { createdAt, id: match[2] };
}

/** Splits a `limit + 1` query result into a page and the cursor of the next one. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null,
  };
}

/** A position in an ordered list of items (their submission index). */
export function encodeIndexCursor(index: number): string {
  return String(index);
}

export function decodeIndexCursor(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw invalidCursor();
  return Number(value);
}
