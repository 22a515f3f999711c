import { sql } from "drizzle-orm";

import type { Database } from "../client";
import type { CheckStatus, DatabaseCheck, DatabaseReport, VerifyOptions } from "./types";
import { describeError } from "./query";
import { checkRoundTrip } from "./round-trip";
import { checkMigrations, checkRole, checkSchema } from "./schema-checks";
import {
  checkClock,
  checkConnections,
  checkTimeouts,
  checkTimeZone,
  checkTls,
  checkVersion,
} from "./server-checks";

export * from "./types";
export { expectedTables } from "./schema-objects";
export { formatReport } from "./format";
export { appRoleSql, appSchemaSql } from "./app-role";

const ORDER: CheckStatus[] = ["pass", "warn", "fail"];

export function worstStatus(checks: DatabaseCheck[]): CheckStatus {
  return checks.reduce<CheckStatus>(
    (worst, check) => (ORDER.indexOf(check.status) > ORDER.indexOf(worst) ? check.status : worst),
    "pass",
  );
}

/**
 * Every check `pnpm db:verify` and `GET /v1/admin/database` report. A check that throws is a
 * failure with the driver's one-line reason; nothing in a reason carries a secret.
 */
export async function verifyDatabase(
  db: Database,
  options: VerifyOptions,
): Promise<DatabaseReport> {
  const checkedAt = new Date(options.now?.() ?? Date.now()).toISOString();
  const checks: DatabaseCheck[] = [];
  try {
    const started = performance.now();
    await db.execute(sql`select 1`);
    checks.push({
      name: "connection",
      status: "pass",
      reason: `connected in ${String(Math.round(performance.now() - started))} ms`,
    });
  } catch (error) {
    checks.push({ name: "connection", status: "fail", reason: describeError(error) });
    return { status: "fail", checkedAt, checks };
  }
  const steps: [string, () => Promise<DatabaseCheck>][] = [
    ["server version", () => checkVersion(db, options)],
    ["tls", () => checkTls(db, options)],
    ["application role", () => checkRole(db)],
    ["migrations", () => checkMigrations(db, options.migrationsFolder)],
    ["schema", () => checkSchema(db)],
    ["time zone", () => checkTimeZone(db)],
    ["timeouts", () => checkTimeouts(db)],
    ["max connections", () => checkConnections(db, options)],
    ["write/read/rollback", () => checkRoundTrip(db)],
    ["clock skew", () => checkClock(db, options)],
  ];
  for (const [name, run] of steps) {
    checks.push(
      await run().catch((error: unknown): DatabaseCheck => ({
        name,
        status: "fail",
        reason: describeError(error),
      })),
    );
  }
  return { status: worstStatus(checks), checkedAt, checks };
}
