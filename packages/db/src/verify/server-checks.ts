import { sql } from "drizzle-orm";

import type { Executor } from "../client";
import type { DatabaseCheck, VerifyOptions } from "./types";
import { one, rows } from "./query";
import { CONNECTION_HEADROOM, MAX_CLOCK_SKEW_MS, MINIMUM_SERVER_VERSION } from "./types";

export async function checkVersion(db: Executor, options: VerifyOptions): Promise<DatabaseCheck> {
  const minimum = options.minimumVersion ?? MINIMUM_SERVER_VERSION;
  const row = await one<{ server_version_num: string }>(db, sql`show server_version_num`);
  const version = Number(row.server_version_num);
  const major = Math.floor(version / 10000);
  const shown = `${String(major)}.${String(version % 10000)}`;
  return major >= minimum
    ? {
        name: "server version",
        status: "pass",
        reason: `PostgreSQL ${shown} (minimum ${String(minimum)})`,
      }
    : {
        name: "server version",
        status: "fail",
        reason: `PostgreSQL ${shown} is older than the minimum, ${String(minimum)}`,
      };
}

export async function checkTls(db: Executor, options: VerifyOptions): Promise<DatabaseCheck> {
  const [row] = await rows<{ ssl: boolean; version: string | null }>(
    db,
    sql`select ssl, version from pg_stat_ssl where pid = pg_backend_pid()`,
  );
  if (row?.ssl) return { name: "tls", status: "pass", reason: `in use (${row.version ?? "TLS"})` };
  return options.production
    ? { name: "tls", status: "fail", reason: "not in use; production needs sslmode=verify-full" }
    : { name: "tls", status: "warn", reason: "not in use (required only in production)" };
}

export async function checkTimeZone(db: Executor): Promise<DatabaseCheck> {
  const { TimeZone: zone } = await one<{ TimeZone: string }>(db, sql`show timezone`);
  return ["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu"].includes(zone)
    ? { name: "time zone", status: "pass", reason: zone }
    : {
        name: "time zone",
        status: "fail",
        reason: `${zone}; set timezone = 'UTC' for the database`,
      };
}

const TIMEOUTS = ["statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout"];

/**
 * The session values a fresh connection gets: from the role or database (ALTER ROLE / ALTER
 * DATABASE ... SET) or the server's configuration. Zero means "wait for ever".
 */
export async function checkTimeouts(db: Executor): Promise<DatabaseCheck> {
  const settings = await rows<{
    name: string;
    setting: string;
    unit: string | null;
    source: string;
  }>(
    db,
    sql`select name, setting, unit, source from pg_settings where name in (${sql.join(
      TIMEOUTS.map((name) => sql`${name}`),
      sql`, `,
    )}) order by name`,
  );
  const unset = settings.filter((s) => s.setting === "0").map((s) => s.name);
  const shown = settings
    .map((s) => `${s.name}=${s.setting}${s.unit ?? ""} (${s.source})`)
    .join(", ");
  return unset.length === 0
    ? { name: "timeouts", status: "pass", reason: shown }
    : {
        name: "timeouts",
        status: "fail",
        reason: `not set: ${unset.join(", ")}; ALTER ROLE <app> SET ... for each`,
      };
}

/** Pools times replicas, plus headroom, against what the server and the role allow. */
export async function checkConnections(
  db: Executor,
  options: VerifyOptions,
): Promise<DatabaseCheck> {
  const row = await one<{ max: number; reserved: number; role_limit: number }>(
    db,
    sql`select current_setting('max_connections')::int as max,
          current_setting('superuser_reserved_connections')::int
            + coalesce(current_setting('reserved_connections', true)::int, 0) as reserved,
          (select rolconnlimit from pg_roles where rolname = current_user) as role_limit`,
  );
  const needed =
    options.poolSize * (options.apiReplicas + options.workerReplicas) + CONNECTION_HEADROOM;
  const serverLimit = row.max - row.reserved;
  const limit = row.role_limit >= 0 ? Math.min(serverLimit, row.role_limit) : serverLimit;
  const formula = `pool ${String(options.poolSize)} x (${String(options.apiReplicas)} api + ${String(options.workerReplicas)} worker) + ${String(CONNECTION_HEADROOM)} headroom = ${String(needed)}`;
  const available = `${String(limit)} available (max_connections ${String(row.max)}, ${String(row.reserved)} reserved${row.role_limit >= 0 ? `, role limit ${String(row.role_limit)}` : ""})`;
  if (needed > limit)
    return { name: "max connections", status: "fail", reason: `${formula} > ${available}` };
  if (needed > limit * 0.9)
    return { name: "max connections", status: "warn", reason: `${formula}, near ${available}` };
  return { name: "max connections", status: "pass", reason: `${formula} <= ${available}` };
}

/** The server's clock against the application's, corrected by half the round trip. */
export async function checkClock(db: Executor, options: VerifyOptions): Promise<DatabaseCheck> {
  const now = options.now ?? Date.now;
  const before = now();
  const row = await one<{ ms: string }>(
    db,
    sql`select (extract(epoch from clock_timestamp()) * 1000)::bigint::text as ms`,
  );
  const after = now();
  const skew = Number(row.ms) - (before + after) / 2;
  const uncertainty = (after - before) / 2;
  const shown = `${skew >= 0 ? "+" : ""}${String(Math.round(skew))} ms (round trip ${String(after - before)} ms)`;
  return Math.abs(skew) - uncertainty < MAX_CLOCK_SKEW_MS
    ? { name: "clock skew", status: "pass", reason: shown }
    : { name: "clock skew", status: "fail", reason: `${shown}; more than 1 s: sync NTP on both` };
}
