import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { createTestDatabase } from "@runway/test-harness";

import { migrationsFolder, runMigrations } from "./client";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const repoDir = path.resolve(packageDir, "../..");
const drizzleKit = path.join(packageDir, "node_modules/.bin/drizzle-kit");
const temporary: string[] = [];
/** drizzle.config.ts as flags: drizzle-kit refuses --config together with --out or --url. */
const schemaFlags = [
  "--dialect",
  "postgresql",
  "--schema",
  "./src/schema/index.ts",
  "--casing",
  "snake_case",
];

/** The committed migrations plus extra ones, as drizzle-kit would have written them. */
function withExtraMigrations(extra: Record<string, string>): string {
  const folder = mkdtempSync(path.join(tmpdir(), "runway-migrations-"));
  temporary.push(folder);
  cpSync(migrationsFolder(), folder, { recursive: true });
  const journalPath = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as {
    entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[];
  };
  for (const [tag, body] of Object.entries(extra)) {
    const last = journal.entries.at(-1);
    if (!last) throw new Error("empty journal");
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag });
    writeFileSync(path.join(folder, `${tag}.sql`), body);
  }
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

let database: { url: string; drop(): Promise<void> };
let sql: postgres.Sql;

async function schemaState() {
  const tables = await sql<{ name: string }[]>`
    select table_name as name from information_schema.tables where table_schema = 'public' order by 1`;
  const columns = await sql<{ n: number }[]>`
    select count(*)::int as n from information_schema.columns where table_schema = 'public'`;
  const applied = await sql<
    { n: number }[]
  >`select count(*)::int as n from drizzle.__drizzle_migrations`;
  return { tables: tables.map((t) => t.name), columns: columns[0]?.n, applied: applied[0]?.n };
}

beforeAll(async () => {
  database = await createTestDatabase(inject("postgresAdminUrl"));
  sql = postgres(database.url, { max: 1, onnotice: () => undefined });
  await runMigrations(database.url);
});

afterAll(async () => {
  await sql.end();
  await database.drop();
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
});

describe("the migration gate", () => {
  it("the drizzle schema and the migrations agree: drizzle-kit generates nothing new", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "runway-generate-"));
    temporary.push(out);
    cpSync(migrationsFolder(), out, { recursive: true });
    const { stdout } = await run(
      drizzleKit,
      ["generate", ...schemaFlags, "--out", path.relative(packageDir, out)],
      { cwd: packageDir },
    );
    expect(stdout).toContain("No schema changes, nothing to migrate");
    expect(readdirSync(out).sort()).toEqual(readdirSync(migrationsFolder()).sort());
  });

  it("a database built from the migrations alone matches the schema: drizzle-kit push sees no change", async () => {
    const push = (url: string) =>
      run(drizzleKit, ["push", ...schemaFlags, "--url", url, "--strict", "--verbose"], {
        cwd: packageDir,
        timeout: 60_000,
      }).then(
        ({ stdout }) => stdout,
        (error: unknown) => `failed: ${(error as { stdout?: string }).stdout ?? ""}`,
      );
    expect(await push(database.url)).toContain("No changes detected");
    // The same probe notices a difference (and, without a terminal, applies nothing).
    await sql`drop index imports_created_idx`;
    try {
      const output = await push(database.url);
      expect(output).not.toContain("No changes detected");
      expect(output).toContain('CREATE INDEX "imports_created_idx"');
    } finally {
      await sql`create index imports_created_idx on imports (created_at desc nulls first, id desc nulls first)`;
    }
  });

  it("squawk passes every committed migration and fails a blocking one after the baseline", async () => {
    const script = path.join(repoDir, "tooling/scripts/migration-lint.sh");
    const { stdout } = await run("bash", [script]);
    expect(stdout).toMatch(/squawk: \d+ passed, 0 failed/);
    const folder = withExtraMigrations({
      "0099_blocking_index": 'CREATE INDEX "users_display_name_idx" ON "users" ("display_name");\n',
    });
    const failed = await run("bash", [script, folder]).then(
      () => "exit 0",
      (error: unknown) => (error as { stdout: string }).stdout,
    );
    expect(failed).toMatch(/FAIL 0099_blocking_index\.sql \(squawk\.toml\)/);
    expect(failed).toContain("require-concurrent-index-creation");
    expect(failed).toMatch(/squawk: \d+ passed, 1 failed/);
  });

  it("a failed migration leaves the schema as it was, earlier pending ones included", async () => {
    const before = await schemaState();
    const folder = withExtraMigrations({
      "0005_good": 'CREATE TABLE "gate_probe" ("id" integer);\n',
      "0006_bad":
        'ALTER TABLE "users" ADD COLUMN "nickname" text;--> statement-breakpoint\nSELECT 1 / 0;\n',
    });
    await expect(runMigrations(database.url, folder)).rejects.toMatchObject({
      cause: expect.objectContaining({ code: "22012" }) as unknown,
    });
    expect(await schemaState()).toEqual(before);
  });

  it("a migration waits at most lock_timeout for its lock, then rolls back", async () => {
    const before = await schemaState();
    const folder = withExtraMigrations({
      "0005_needs_lock":
        'CREATE TABLE "gate_probe" ("id" integer);--> statement-breakpoint\nALTER TABLE "users" ADD COLUMN "nickname" text;\n',
    });
    // A long reader holds users: the ALTER needs ACCESS EXCLUSIVE and must not queue for ever
    // (everything after it would queue behind it).
    const holder = postgres(database.url, { max: 1, onnotice: () => undefined });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let acquired: () => void = () => undefined;
    const lockTaken = new Promise<void>((resolve) => (acquired = resolve));
    const locked = holder.begin(async (tx) => {
      await tx`lock table users in access share mode`;
      acquired();
      await held;
    });
    try {
      await lockTaken;
      const started = Date.now();
      await expect(
        runMigrations(database.url, folder, { lockTimeoutMs: 300 }),
      ).rejects.toMatchObject({
        cause: expect.objectContaining({ code: "55P03" }) as unknown,
      });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      release();
      await locked;
      await holder.end();
    }
    expect(await schemaState()).toEqual(before);
    // Once the lock is free, the same migration applies.
    await runMigrations(database.url, folder, { lockTimeoutMs: 300 });
    expect((await schemaState()).tables).toContain("gate_probe");
  });
});
