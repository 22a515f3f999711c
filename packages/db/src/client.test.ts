import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";

import { createTestDatabase } from "@runway/test-harness";

import { createDatabase } from "./client";
import { roles, userRoles } from "./schema";

/** postgres.js returns rows as the result, PGlite as `result.rows`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

async function publicTables(handle: Awaited<ReturnType<typeof createDatabase>>): Promise<string[]> {
  const result = await handle.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rowsOf<{ table_name: string }>(result).map((row) => row.table_name);
}

const EXPECTED_TABLES = [
  "audit_events",
  "dead_letters",
  "idempotency_keys",
  "import_items",
  "imports",
  "refresh_tokens",
  "revoked_sessions",
  "roles",
  "sessions",
  "user_roles",
  "users",
];

describe("migrations", () => {
  it("apply to real PostgreSQL, are idempotent, and flip readiness", async () => {
    const database = await createTestDatabase(inject("postgresAdminUrl"));
    const handle = await createDatabase({ kind: "postgres", url: database.url, poolSize: 2 });
    try {
      await expect(handle.checkReady()).rejects.toThrow(/migrations have not been applied/);
      await handle.migrate();
      await handle.migrate();
      await expect(handle.checkReady()).resolves.toBeUndefined();
      expect(await publicTables(handle)).toEqual(EXPECTED_TABLES);
      expect((await handle.db.select().from(roles)).map((r) => r.name).sort()).toEqual([
        "admin",
        "user",
      ]);
    } finally {
      await handle.close();
      await database.drop();
    }
  });

  it("apply the same SQL to the embedded PGlite", async () => {
    const handle = await createDatabase({ kind: "pglite", dataDir: null });
    try {
      await handle.migrate();
      await expect(handle.checkReady()).resolves.toBeUndefined();
      expect(await publicTables(handle)).toEqual(EXPECTED_TABLES);
    } finally {
      await handle.close();
    }
  });

  it("index every lookup the code does", async () => {
    const handle = await createDatabase({ kind: "pglite", dataDir: null });
    try {
      await handle.migrate();
      const result = await handle.db.execute(
        sql`select indexname from pg_indexes where schemaname = 'public'`,
      );
      const names = rowsOf<{ indexname: string }>(result).map((row) => row.indexname);
      for (const index of [
        "users_email_key",
        "refresh_tokens_token_hash_key",
        "sessions_user_id_idx",
        "refresh_tokens_parent_id_idx",
        "revoked_sessions_revoked_at_idx",
        "user_roles_user_id_role_name_pk",
      ]) {
        expect(names).toContain(index);
      }
    } finally {
      await handle.close();
    }
  });

  // 0005 drops an index nothing used; on a live database the runbook has it dropped CONCURRENTLY
  // first, after which the migration must still apply (and drop nothing).
  it("leave import_items only its primary key, also where the index was dropped by hand first", async () => {
    const database = await createTestDatabase(inject("postgresAdminUrl"));
    const handle = await createDatabase({ kind: "postgres", url: database.url, poolSize: 1 });
    const itemIndexes = async () =>
      rowsOf<{ indexname: string }>(
        await handle.db.execute(
          sql`select indexname from pg_indexes where tablename = 'import_items' order by 1`,
        ),
      ).map((row) => row.indexname);
    try {
      await handle.migrate();
      expect(await itemIndexes()).toEqual(["import_items_import_id_idx_pk"]);
      // Back to the level before 0005, with the index, as a live database would be...
      await handle.db.execute(
        sql`create index import_items_email_hash_idx on import_items (email_hash)`,
      );
      await handle.db.execute(sql`
        delete from drizzle.__drizzle_migrations
        where id = (select max(id) from drizzle.__drizzle_migrations)`);
      await expect(handle.checkReady()).rejects.toThrow(/pending migrations/);
      // ...where the operator drops it without blocking writes, then migrates.
      await handle.db.execute(sql`drop index concurrently import_items_email_hash_idx`);
      await handle.migrate();
      await expect(handle.checkReady()).resolves.toBeUndefined();
      expect(await itemIndexes()).toEqual(["import_items_import_id_idx_pk"]);
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});

describe("the PostgreSQL client", () => {
  // patches/drizzle-orm: an unnamed statement with parameters costs postgres.js two round trips
  // each time; a named one is prepared once per connection.
  it("runs every query, in a transaction or not, as a statement prepared once per connection", async () => {
    const database = await createTestDatabase(inject("postgresAdminUrl"));
    const handle = await createDatabase({ kind: "postgres", url: database.url, poolSize: 1 });
    try {
      await handle.migrate();
      for (const name of ["admin", "user"]) {
        await handle.db.select().from(roles).where(eq(roles.name, name));
        await handle.db.execute(sql`select count(*) from roles where name <> ${name}`);
        await handle.db.transaction(async (tx) => {
          await tx.execute(sql`select ${name}::text as in_transaction`);
        });
      }
      const prepared = rowsOf<{ statement: string }>(
        await handle.db.execute(sql`select statement from pg_prepared_statements`),
      ).map((row) => row.statement);
      for (const text of [
        'from "roles" where "roles"."name" = $1',
        "where name <> $1",
        "$1::text as in_transaction",
      ]) {
        expect(prepared.filter((statement) => statement.includes(text))).toHaveLength(1);
      }
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});

describe.each([{ name: "postgres" }, { name: "pglite" }])("query results on $name", ({ name }) => {
  // patches/drizzle-orm works out each selection's decoders once per prepared query: every
  // execution must still map its own rows, flat or nested.
  it("a prepared query maps each execution's rows, with decoders, and nulls an empty join", async () => {
    const database =
      name === "postgres" ? await createTestDatabase(inject("postgresAdminUrl")) : null;
    const handle = await createDatabase(
      database
        ? { kind: "postgres", url: database.url, poolSize: 1 }
        : { kind: "pglite", dataDir: null },
    );
    try {
      await handle.migrate();
      const flat = handle.db
        .select({
          name: roles.name,
          createdAt: roles.createdAt,
          length: sql`length(${roles.name})`.mapWith(Number),
          shout: sql<string>`upper(${roles.name})`,
        })
        .from(roles)
        .where(eq(roles.name, sql.placeholder("name")))
        .prepare("flat_role");
      const nested = handle.db
        .select({
          role: roles.name,
          grant: { userId: userRoles.userId, since: userRoles.createdAt },
        })
        .from(roles)
        .leftJoin(userRoles, eq(userRoles.roleName, roles.name))
        .orderBy(asc(roles.name))
        .prepare("nested_roles");
      for (const role of ["admin", "user", "admin"]) {
        const [row] = await flat.execute({ name: role });
        expect(row).toEqual({
          name: role,
          createdAt: expect.any(Date) as Date,
          length: role.length,
          shout: role.toUpperCase(),
        });
        expect(Object.keys(row ?? {})).toEqual(["name", "createdAt", "length", "shout"]);
        expect(await nested.execute()).toEqual([
          { role: "admin", grant: null },
          { role: "user", grant: null },
        ]);
      }
    } finally {
      await handle.close();
      await database?.drop();
    }
  });
});
