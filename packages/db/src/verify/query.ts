import type { SQL } from "drizzle-orm";

import type { Executor } from "../client";

/** postgres.js returns rows as the result, PGlite as `result.rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

export async function rows<T>(db: Executor, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

export async function one<T>(db: Executor, query: SQL): Promise<T> {
  const [row] = await rows<T>(db, query);
  if (row === undefined) throw new Error("the query returned no row");
  return row;
}

/**
 * A driver error as one safe line: SQLSTATE and PostgreSQL's message, or the network error code.
 * Never the connection URL.
 */
export function describeError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (e.cause && typeof e.cause === "object") return describeError(e.cause);
  const code = typeof e.code === "string" ? e.code : "";
  const message =
    typeof e.message === "string" ? e.message.replace(/postgres(ql)?:\/\/\S+/g, "") : "";
  if (/^[0-9A-Z]{5}$/.test(code)) return `${code} ${message}`.trim();
  if (code) return code;
  const [line = ""] = message.split("\n");
  return line.length > 0 ? line : "unknown error";
}
