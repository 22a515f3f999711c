import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";

import type { Executor } from "../client";
import type { DatabaseCheck } from "./types";
import { one, rows } from "./query";
import { expectedTables } from "./schema-objects";

const NEEDED = ["SELECT", "INSERT", "UPDATE", "DELETE"];
const EXTRA = ["TRUNCATE", "REFERENCES", "TRIGGER"];

/**
 * The application role reads and writes rows and nothing more: no superuser or role
 * attributes that bypass security, every DML privilege on every table, and (a warning) no DDL
 * rights, which belong to the migration role.
 */
export async function checkRole(db: Executor): Promise<DatabaseCheck> {
  const name = "application role";
  const role = await one<Record<string, boolean | string>>(
    db,
    sql`select rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls
        from pg_roles where rolname = current_user`,
  );
  const roleName = String(role.rolname);
  if (role.rolsuper)
    return {
      name,
      status: "fail",
      reason: `${roleName} is a superuser; connect as a role without it`,
    };
  const attributes = ["rolcreaterole", "rolcreatedb", "rolreplication", "rolbypassrls"]
    .filter((attribute) => role[attribute] === true)
    .map((attribute) => attribute.replace(/^rol/, "").toUpperCase());
  if (attributes.length > 0)
    return {
      name,
      status: "fail",
      reason: `${roleName} has ${attributes.join(", ")}; revoke them`,
    };

  // Predefined roles that read or write everything, or reach the server's files and programs.
  const members = await rows<{ rolname: string }>(
    db,
    sql`select rolname from pg_roles
        where rolname in ('pg_read_all_data', 'pg_write_all_data', 'pg_read_server_files',
                          'pg_write_server_files', 'pg_execute_server_program', 'pg_signal_backend')
          and pg_has_role(current_user, oid, 'member')`,
  );
  if (members.length > 0)
    return {
      name,
      status: "fail",
      reason: `${roleName} is a member of ${members.map((m) => m.rolname).join(", ")}; revoke it`,
    };

  const missing: string[] = [];
  const extra = new Set<string>();
  const owned: string[] = [];
  for (const table of expectedTables()) {
    const qualified = `public.${table.name}`;
    const [exists] = await rows<{ owner: boolean }>(
      db,
      sql`select pg_get_userbyid(relowner) = current_user as owner from pg_class
          where oid = to_regclass(${qualified})`,
    );
    if (!exists) continue;
    if (exists.owner) owned.push(table.name);
    for (const privilege of [...NEEDED, ...EXTRA]) {
      const { ok } = await one<{ ok: boolean }>(
        db,
        sql`select has_table_privilege(${qualified}, ${privilege}) as ok`,
      );
      if (!ok && NEEDED.includes(privilege)) missing.push(`${privilege} on ${table.name}`);
      if (ok && EXTRA.includes(privilege)) extra.add(privilege);
    }
  }
  const [journal] = await rows<{ ok: boolean }>(
    db,
    sql`select has_table_privilege('drizzle.__drizzle_migrations', 'SELECT') as ok
        where to_regclass('drizzle.__drizzle_migrations') is not null`,
  );
  if (journal && !journal.ok) missing.push("SELECT on drizzle.__drizzle_migrations (readiness)");
  if (missing.length > 0)
    return {
      name,
      status: "fail",
      reason: `${roleName} lacks ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` and ${String(missing.length - 5)} more` : ""}`,
    };

  const { create } = await one<{ create: boolean }>(
    db,
    sql`select has_schema_privilege('public', 'CREATE') as create`,
  );
  const more = [
    ...(owned.length > 0 ? [`owns ${String(owned.length)} tables`] : []),
    ...(create ? ["CREATE on schema public"] : []),
    ...[...extra].map((privilege) => `${privilege} on tables`),
  ];
  return more.length > 0
    ? {
        name,
        status: "warn",
        reason: `${roleName} has more than it needs (${more.join(", ")}); run migrations as a separate owner role`,
      }
    : { name, status: "pass", reason: `${roleName}: ${NEEDED.join(", ")} on every table, no DDL` };
}

interface JournalEntry {
  tag: string;
  when: number;
}

/** drizzle's own hash of a migration: SHA-256 of the file as read. */
function committedMigrations(folder: string): (JournalEntry & { hash: string })[] {
  const journal = JSON.parse(readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: JournalEntry[];
  };
  return journal.entries.map((entry) => ({
    ...entry,
    hash: createHash("sha256")
      .update(readFileSync(path.join(folder, `${entry.tag}.sql`)).toString())
      .digest("hex"),
  }));
}

export async function checkMigrations(db: Executor, folder: string): Promise<DatabaseCheck> {
  const name = "migrations";
  const committed = committedMigrations(folder);
  const { present } = await one<{ present: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!present) return { name, status: "fail", reason: "none applied (run pnpm db:migrate)" };
  const applied = await rows<{ hash: string; created_at: string }>(
    db,
    sql`select hash, created_at::text from drizzle.__drizzle_migrations order by id`,
  );
  const byWhen = new Map(applied.map((row) => [Number(row.created_at), row.hash]));
  const pending = committed.filter((entry) => !byWhen.has(entry.when)).map((e) => e.tag);
  const edited = committed
    .filter((entry) => byWhen.has(entry.when) && byWhen.get(entry.when) !== entry.hash)
    .map((e) => e.tag);
  const known = new Set(committed.map((entry) => entry.when));
  const unknown = applied.filter((row) => !known.has(Number(row.created_at))).length;
  const problems = [
    ...(pending.length ? [`pending: ${pending.join(", ")}`] : []),
    ...(edited.length ? [`edited after being applied: ${edited.join(", ")}`] : []),
    ...(unknown ? [`${String(unknown)} applied migration(s) not in this build`] : []),
  ];
  const latest = committed.at(-1)?.tag ?? "none";
  return problems.length > 0
    ? { name, status: "fail", reason: problems.join("; ") }
    : {
        name,
        status: "pass",
        reason: `${String(committed.length)} applied, checksums match (latest ${latest})`,
      };
}

export async function checkSchema(db: Executor): Promise<DatabaseCheck> {
  const name = "schema";
  const expected = expectedTables();
  const columns = await rows<{ table_name: string; column_name: string }>(
    db,
    sql`select table_name, column_name from information_schema.columns where table_schema = 'public'`,
  );
  const indexes = new Set(
    (
      await rows<{ indexname: string }>(
        db,
        sql`select indexname from pg_indexes where schemaname = 'public'`,
      )
    ).map((row) => row.indexname),
  );
  const present = new Map<string, Set<string>>();
  for (const row of columns) {
    const set = present.get(row.table_name) ?? new Set<string>();
    set.add(row.column_name);
    present.set(row.table_name, set);
  }
  const missing: string[] = [];
  for (const table of expected) {
    const have = present.get(table.name);
    if (!have) {
      missing.push(`table ${table.name}`);
      continue;
    }
    for (const column of table.columns)
      if (!have.has(column)) missing.push(`column ${table.name}.${column}`);
    for (const index of table.indexes) if (!indexes.has(index)) missing.push(`index ${index}`);
  }
  const indexCount = expected.reduce((sum, table) => sum + table.indexes.length, 0);
  if (missing.length > 0) return { name, status: "fail", reason: `missing ${missing.join(", ")}` };
  const extra = [...present.keys()].filter((table) => !expected.some((t) => t.name === table));
  return extra.length > 0
    ? { name, status: "warn", reason: `all present; tables not in the schema: ${extra.join(", ")}` }
    : {
        name,
        status: "pass",
        reason: `${String(expected.length)} tables and ${String(indexCount)} indexes of the drizzle schema present`,
      };
}
