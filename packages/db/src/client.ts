import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { max, sql } from "drizzle-orm";
import { bigint, pgSchema, serial, text } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import type { DatabaseConfig } from "@runway/config";

import * as schema from "./schema";

export type Schema = typeof schema;
/** The drizzle database, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the database or an open transaction: what data-access functions accept. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseConfig["kind"];
  /** Applies the committed migrations. */
  migrate(): Promise<void>;
  /** Throws unless the database answers and every committed migration is applied. */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}

/** The SQL migrations: beside the bundle in a build, else in this package. */
export function migrationsFolder(): string {
  const bundled = fileURLToPath(new URL("./migrations", import.meta.url));
  if (existsSync(bundled)) return bundled;
  return fileURLToPath(new URL("../migrations", import.meta.url));
}

/** drizzle's own bookkeeping table, read to tell whether every migration is applied. */
const appliedMigrations = pgSchema("drizzle").table("__drizzle_migrations", {
  id: serial().primaryKey(),
  hash: text().notNull(),
  createdAt: bigint("created_at", { mode: "number" }),
});

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

function latestMigrationMillis(folder: string): number {
  const journal = JSON.parse(readFileSync(`${folder}/meta/_journal.json`, "utf8")) as Journal;
  return Math.max(...journal.entries.map((entry) => entry.when));
}

async function checkMigrations(db: Database, folder: string): Promise<void> {
  const expected = latestMigrationMillis(folder);
  let applied: number;
  try {
    const [row] = await db
      .select({ latest: max(appliedMigrations.createdAt) })
      .from(appliedMigrations);
    applied = row?.latest ?? 0;
  } catch {
    throw new Error("migrations have not been applied");
  }
  if (applied < expected) throw new Error("pending migrations");
}

/**
 * While the server is away, postgres.js makes each query wait for its reconnect backoff, which
 * grows to 20 s per attempt: a request would hang. Capped at 1 s (and 5 s to connect), a query
 * fails fast, the API answers 503 with Retry-After, and the pool reconnects by itself.
 */
const OUTAGE_FRIENDLY = {
  connect_timeout: 5,
  backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
};

/** How long a migration waits for a table lock before it gives up (and rolls back). */
export const MIGRATION_LOCK_TIMEOUT_MS = 5000;

/**
 * Applies the migrations of `folder` on their own single connection, as drizzle requires, in one
 * transaction: a failure (a lock not granted within the lock_timeout, a bad statement) rolls
 * every pending migration back and leaves the schema as it was. The lock_timeout keeps a
 * migration queued behind a long transaction from stalling every query behind it.
 */
export async function runMigrations(
  url: string,
  folder: string = migrationsFolder(),
  options: { lockTimeoutMs?: number } = {},
): Promise<void> {
  const lockTimeout = options.lockTimeoutMs ?? MIGRATION_LOCK_TIMEOUT_MS;
  const client = postgres(url, {
    max: 1,
    onnotice: () => undefined,
    connection: { application_name: "runway-migrate", lock_timeout: lockTimeout },
  });
  try {
    await migratePostgres(drizzlePostgres({ client, casing: "snake_case" }), {
      migrationsFolder: folder,
    });
  } finally {
    await client.end();
  }
}

export async function createDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  const folder = migrationsFolder();
  if (config.kind === "postgres") {
    const client = postgres(config.url, {
      max: config.poolSize,
      onnotice: () => undefined,
      connection: { application_name: "runway" },
      ...OUTAGE_FRIENDLY,
    });
    const db = drizzlePostgres({ client, schema, casing: "snake_case" }) as unknown as Database;
    return {
      db,
      kind: "postgres",
      migrate: () => runMigrations(config.url, folder),
      async checkReady() {
        await db.execute(sql`select 1`);
        await checkMigrations(db, folder);
      },
      async close() {
        await client.end({ timeout: 5 });
      },
    };
  }

  const client = config.dataDir === null ? new PGlite() : new PGlite(config.dataDir);
  await client.waitReady;
  const db = drizzlePglite({ client, schema, casing: "snake_case" }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    async migrate() {
      await migratePglite(drizzlePglite({ client, casing: "snake_case" }), {
        migrationsFolder: folder,
      });
    },
    async checkReady() {
      await db.execute(sql`select 1`);
      await checkMigrations(db, folder);
    },
    async close() {
      await client.close();
    },
  };
}
