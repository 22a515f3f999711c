import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { createTestDatabase } from "@runway/test-harness";

import type { DatabaseReport, VerifyOptions } from "./types";
import { createDatabase, migrationsFolder, runMigrations } from "../client";
import { appRoleSql, appSchemaSql, verifyDatabase } from "./index";

const suffix = Math.random().toString(16).slice(2, 8);
const owner = `verify_owner_${suffix}`;
const app = `verify_app_${suffix}`;
let database: { url: string; drop(): Promise<void> };
let admin: postgres.Sql;
let dbName: string;

const OPTIONS: VerifyOptions = {
  production: false,
  poolSize: 10,
  apiReplicas: 2,
  workerReplicas: 2,
  migrationsFolder: migrationsFolder(),
};

function urlAs(role: string): string {
  const url = new URL(database.url);
  url.username = role;
  return url.toString();
}

async function verifyAs(
  role: string,
  options: Partial<VerifyOptions> = {},
  url = urlAs(role),
): Promise<DatabaseReport> {
  const handle = await createDatabase({ kind: "postgres", url, poolSize: 1 });
  try {
    return await verifyDatabase(handle.db, { ...OPTIONS, ...options });
  } finally {
    await handle.close();
  }
}

function check(report: DatabaseReport, name: string) {
  const found = report.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check ${name}: ${JSON.stringify(report.checks)}`);
  return found;
}

/** Runs `change`, verifies as the app role, then `undo`, so each test starts clean. */
async function provoked(
  change: string[],
  undo: string[],
  options: Partial<VerifyOptions> = {},
): Promise<DatabaseReport> {
  for (const statement of change) await admin.unsafe(statement);
  try {
    return await verifyAs(app, options);
  } finally {
    for (const statement of undo) await admin.unsafe(statement);
  }
}

beforeAll(async () => {
  const adminUrl = inject("postgresAdminUrl");
  database = await createTestDatabase(adminUrl);
  dbName = new URL(database.url).pathname.slice(1);
  const server = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  for (const statement of appRoleSql({ database: dbName, owner, app }))
    await server.unsafe(statement);
  await server.end();
  admin = postgres(database.url, { max: 1, onnotice: () => undefined });
  for (const statement of appSchemaSql({ owner, app })) await admin.unsafe(statement);
  await runMigrations(urlAs(owner));
});

afterAll(async () => {
  await admin.end();
  await database.drop();
  const server = postgres(inject("postgresAdminUrl"), { max: 1, onnotice: () => undefined });
  await server.unsafe(`drop owned by "${app}", "${owner}"`).catch(() => undefined);
  await server.unsafe(`drop role if exists "${app}"`);
  await server.unsafe(`drop role if exists "${owner}"`);
  await server.end();
});

describe("db:verify on a correctly set up database", () => {
  it("passes every check as the application role (TLS a warning outside production)", async () => {
    const report = await verifyAs(app);
    const failing = report.checks.filter((c) => c.status !== "pass").map((c) => c.name);
    expect(failing).toEqual(["tls"]);
    expect(report.status).toBe("warn");
    expect(report.checks.map((c) => c.name)).toEqual([
      "connection",
      "server version",
      "tls",
      "application role",
      "migrations",
      "schema",
      "time zone",
      "timeouts",
      "max connections",
      "write/read/rollback",
      "clock skew",
    ]);
    expect(check(report, "schema").reason).toMatch(/^11 tables and \d+ indexes/);
    expect(JSON.stringify(report)).not.toContain(database.url);
  });
});

describe("db:verify fails each check when it should", () => {
  it("connection: nothing listening", async () => {
    const url = new URL(urlAs(app));
    url.port = "1";
    const report = await verifyAs(app, {}, url.toString());
    expect(report.status).toBe("fail");
    expect(report.checks).toEqual([{ name: "connection", status: "fail", reason: "ECONNREFUSED" }]);
  });

  it("server version: older than the minimum", async () => {
    const report = await verifyAs(app, { minimumVersion: 99 });
    expect(check(report, "server version")).toMatchObject({ status: "fail" });
    expect(check(report, "server version").reason).toMatch(/older than the minimum, 99/);
  });

  it("tls: not in use in production", async () => {
    const report = await verifyAs(app, { production: true });
    expect(check(report, "tls")).toMatchObject({ status: "fail" });
  });

  it("application role: superuser, CREATEDB, a missing privilege, table owner", async () => {
    expect(check(await verifyAs("postgres"), "application role")).toMatchObject({
      status: "fail",
      reason: expect.stringMatching(/superuser/) as string,
    });
    const createdb = await provoked(
      [`alter role "${app}" createdb`],
      [`alter role "${app}" nocreatedb`],
    );
    expect(check(createdb, "application role").reason).toMatch(/has CREATEDB/);
    const member = await provoked(
      [`grant pg_write_server_files to "${app}"`],
      [`revoke pg_write_server_files from "${app}"`],
    );
    expect(check(member, "application role").reason).toBe(
      `${app} is a member of pg_write_server_files; revoke it`,
    );
    const revoked = await provoked(
      [`revoke delete on sessions from "${app}"`],
      [`grant delete on sessions to "${app}"`],
    );
    expect(check(revoked, "application role")).toEqual({
      name: "application role",
      status: "fail",
      reason: `${app} lacks DELETE on sessions`,
    });
    const asOwner = await verifyAs(owner);
    expect(check(asOwner, "application role")).toMatchObject({ status: "warn" });
    expect(check(asOwner, "application role").reason).toMatch(
      /owns 11 tables, CREATE on schema public/,
    );
  });

  it("migrations: pending, edited after being applied, unknown", async () => {
    const [last] = await admin<{ id: number; hash: string; created_at: string }[]>`
      select id, hash, created_at::text from drizzle.__drizzle_migrations order by id desc limit 1`;
    if (!last) throw new Error("no migrations applied");
    const pending = await provoked(
      [`delete from drizzle.__drizzle_migrations where id = ${String(last.id)}`],
      [
        `insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${String(last.id)}, '${last.hash}', ${last.created_at})`,
      ],
    );
    expect(check(pending, "migrations")).toMatchObject({
      status: "fail",
      reason: "pending: 0005_drop_item_email_hash_index",
    });
    const edited = await provoked(
      [`update drizzle.__drizzle_migrations set hash = 'x' where id = ${String(last.id)}`],
      [
        `update drizzle.__drizzle_migrations set hash = '${last.hash}' where id = ${String(last.id)}`,
      ],
    );
    expect(check(edited, "migrations").reason).toBe(
      "edited after being applied: 0005_drop_item_email_hash_index",
    );
    const unknown = await provoked(
      [`insert into drizzle.__drizzle_migrations (hash, created_at) values ('y', 99999999999999)`],
      [`delete from drizzle.__drizzle_migrations where created_at = 99999999999999`],
    );
    expect(check(unknown, "migrations").reason).toBe("1 applied migration(s) not in this build");
  });

  it("schema: a missing index and a missing table", async () => {
    const report = await provoked(
      [
        "drop index imports_status_created_idx",
        "alter table dead_letters rename to dead_letters_old",
      ],
      [
        "alter table dead_letters_old rename to dead_letters",
        'create index imports_status_created_idx on imports ("status", "created_at")',
      ],
    );
    expect(check(report, "schema")).toEqual({
      name: "schema",
      status: "fail",
      reason: "missing table dead_letters, index imports_status_created_idx",
    });
  });

  it("time zone: not UTC", async () => {
    const report = await provoked(
      [`alter role "${app}" in database "${dbName}" set timezone = 'Asia/Seoul'`],
      [`alter role "${app}" in database "${dbName}" reset timezone`],
    );
    expect(check(report, "time zone")).toMatchObject({
      status: "fail",
      reason: expect.stringMatching(/^Asia\/Seoul/) as string,
    });
  });

  it("timeouts: lock_timeout not set", async () => {
    const report = await provoked(
      [`alter role "${app}" in database "${dbName}" reset lock_timeout`],
      [`alter role "${app}" in database "${dbName}" set lock_timeout = '5s'`],
    );
    expect(check(report, "timeouts")).toMatchObject({
      status: "fail",
      reason: expect.stringMatching(/^not set: lock_timeout;/) as string,
    });
  });

  it("max connections: pools times replicas beyond the server's and the role's limits", async () => {
    const report = await verifyAs(app, { apiReplicas: 40, workerReplicas: 10 });
    expect(check(report, "max connections").status).toBe("fail");
    expect(check(report, "max connections").reason).toMatch(/= 505 > \d+ available/);
    const limited = await provoked(
      [`alter role "${app}" connection limit 30`],
      [`alter role "${app}" connection limit -1`],
    );
    expect(check(limited, "max connections").reason).toMatch(/= 45 > 30 available .*role limit 30/);
  });

  it("write/read/rollback: a read-only database", async () => {
    const report = await provoked(
      [`alter role "${app}" in database "${dbName}" set default_transaction_read_only = on`],
      [`alter role "${app}" in database "${dbName}" reset default_transaction_read_only`],
    );
    expect(check(report, "write/read/rollback")).toMatchObject({
      status: "fail",
      reason: expect.stringMatching(/^25006 /) as string,
    });
    const [row] = await admin<
      { n: number }[]
    >`select count(*)::int as n from roles where name like 'db-verify-%'`;
    expect(row?.n).toBe(0);
  });

  it("clock skew: the application's clock 5 s ahead", async () => {
    const report = await verifyAs(app, { now: () => Date.now() + 5000 });
    expect(check(report, "clock skew")).toMatchObject({ status: "fail" });
    expect(check(report, "clock skew").reason).toMatch(/^-(49|50)\d\d ms/);
  });
});
