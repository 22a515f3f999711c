import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";

import type { Database } from "../client";
import type { DatabaseCheck } from "./types";
import { one, rows } from "./query";

class RolledBack extends Error {}

/** Writes a row, reads it back and rolls back; then proves that nothing is left. */
export async function checkRoundTrip(db: Database): Promise<DatabaseCheck> {
  const name = "write/read/rollback";
  const marker = `db-verify-${randomBytes(6).toString("hex")}`;
  const started = performance.now();
  const seen = { read: false };
  try {
    await db.transaction(async (tx) => {
      await tx.execute(
        sql`insert into roles (name, description) values (${marker}, 'db:verify round trip')`,
      );
      const found = await rows<{ name: string }>(
        tx,
        sql`select name from roles where name = ${marker}`,
      );
      seen.read = found.length === 1;
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  const { left } = await one<{ left: number }>(
    db,
    sql`select count(*)::int as left from roles where name = ${marker}`,
  );
  const ms = Math.round(performance.now() - started);
  if (!seen.read) return { name, status: "fail", reason: "the written row could not be read back" };
  if (left !== 0) return { name, status: "fail", reason: "the rolled-back row is still there" };
  return { name, status: "pass", reason: `${String(ms)} ms, no trace left` };
}
