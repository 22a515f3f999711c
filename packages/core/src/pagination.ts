import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

import { utf8 } from "./crypto";
import { AppError } from "./errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A keyset position: the sort timestamp and the id that breaks ties. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return encodeBase64urlNoPadding(
    utf8.encode(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])),
  );
}

export function decodeCursor(value: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(
      new TextDecoder().decode(decodeBase64urlIgnorePadding(value)),
    );
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [createdAt, id] = parsed as unknown[];
      if (typeof createdAt === "string" && typeof id === "string" && UUID.test(id)) {
        const date = new Date(createdAt);
        if (!Number.isNaN(date.getTime())) return { createdAt: date, id };
      }
    }
  } catch {
    // Fall through to the uniform error.
  }
  throw new AppError("VALIDATION_FAILED", "Invalid cursor", [
    { path: "cursor", message: "Invalid cursor" },
  ]);
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
  return encodeBase64urlNoPadding(utf8.encode(`i:${index}`));
}

export function decodeIndexCursor(value: string): number {
  try {
    const text = new TextDecoder().decode(decodeBase64urlIgnorePadding(value));
    const match = /^i:(\d{1,9})$/.exec(text);
    if (match?.[1]) return Number(match[1]);
  } catch {
    // Fall through to the uniform error.
  }
  throw new AppError("VALIDATION_FAILED", "Invalid cursor", [
    { path: "cursor", message: "Invalid cursor" },
  ]);
}
