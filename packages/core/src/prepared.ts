import type { SQL } from "drizzle-orm";

import type { Database, Executor } from "@runway/db";

const prepared = new WeakMap<Database, Map<string, unknown>>();

/**
 * A hot read's prepared drizzle query, built once per database handle. drizzle otherwise
 * rebuilds the SQL text of every query on every call, which cost more CPU than postgres.js
 * spent sending the query and parsing its rows (see docs/performance.md).
 *
 * Runs on the pool: never use one inside a transaction, where it would run outside of it.
 */
export function preparedQuery<T>(db: Database, name: string, build: (db: Database) => T): T {
  let queries = prepared.get(db);
  if (!queries) {
    queries = new Map();
    prepared.set(db, queries);
  }
  let query = queries.get(name) as T | undefined;
  if (query === undefined) {
    query = build(db);
    queries.set(name, query);
  }
  return query;
}

/**
 * The rows of a raw statement, whichever driver ran it (postgres.js answers an array, PGlite an
 * object with `rows`). Columns come back as PostgreSQL names them, with the driver's own types.
 */
export async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
