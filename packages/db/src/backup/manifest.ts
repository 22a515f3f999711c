import type postgres from "postgres";

export interface TableStats {
  name: string;
  rows: number;
  /** md5 over the table's rows as text, in a stable order: equal content, equal checksum. */
  checksum: string;
}

export interface MigrationLevel {
  applied: number;
  latestCreatedAt: number | null;
  latestHash: string | null;
}

export interface Manifest {
  format: 1;
  createdAt: string;
  /** The server's clock when the snapshot the archive holds was taken. */
  snapshotAt: string;
  serverVersion: string;
  database: string;
  archive: { file: string; bytes: number; sha256: string };
  migrations: MigrationLevel;
  tables: TableStats[];
  durationMs: number;
}

/** Tables of the public and drizzle schemas, the ones a backup must carry. */
export async function tableStats(
  sql: postgres.Sql | postgres.TransactionSql,
): Promise<TableStats[]> {
  const tables = await sql<{ name: string }[]>`
    select format('%I.%I', schemaname, tablename) as name from pg_tables
    where schemaname in ('public', 'drizzle') order by schemaname, tablename`;
  const stats: TableStats[] = [];
  for (const { name } of tables) {
    const [row] = await sql.unsafe<{ rows: number; checksum: string | null }[]>(
      `select count(*)::int as rows,
              md5(coalesce(string_agg(md5(t::text), '' order by md5(t::text)), '')) as checksum
       from ${name} t`,
    );
    stats.push({ name, rows: row?.rows ?? 0, checksum: row?.checksum ?? "" });
  }
  return stats;
}

export async function migrationLevel(
  sql: postgres.Sql | postgres.TransactionSql,
): Promise<MigrationLevel> {
  const [present] = await sql<{ ok: boolean }[]>`
    select to_regclass('drizzle.__drizzle_migrations') is not null as ok`;
  if (!present?.ok) return { applied: 0, latestCreatedAt: null, latestHash: null };
  const [row] = await sql<{ applied: number; created_at: string | null; hash: string | null }[]>`
    select count(*)::int as applied,
      (select created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1),
      (select hash from drizzle.__drizzle_migrations order by created_at desc limit 1)
    from drizzle.__drizzle_migrations`;
  return {
    applied: row?.applied ?? 0,
    latestCreatedAt: row?.created_at ? Number(row.created_at) : null,
    latestHash: row?.hash ?? null,
  };
}

export interface Comparison {
  passed: string[];
  failed: string[];
}

/** Per-table row counts and checksums, and the migration level, against the manifest. */
export function compareWithManifest(
  manifest: Pick<Manifest, "tables" | "migrations">,
  tables: TableStats[],
  level: MigrationLevel,
): Comparison {
  const result: Comparison = { passed: [], failed: [] };
  const restored = new Map(tables.map((table) => [table.name, table]));
  for (const expected of manifest.tables) {
    const actual = restored.get(expected.name);
    if (!actual) result.failed.push(`${expected.name}: missing`);
    else if (actual.rows !== expected.rows)
      result.failed.push(
        `${expected.name}: ${String(actual.rows)} rows, expected ${String(expected.rows)}`,
      );
    else if (actual.checksum !== expected.checksum)
      result.failed.push(`${expected.name}: content differs (${String(actual.rows)} rows)`);
    else result.passed.push(`${expected.name}: ${String(actual.rows)} rows, checksum equal`);
  }
  for (const name of restored.keys())
    if (!manifest.tables.some((table) => table.name === name))
      result.failed.push(`${name}: not in the backup`);
  const same =
    level.applied === manifest.migrations.applied &&
    level.latestHash === manifest.migrations.latestHash;
  (same ? result.passed : result.failed).push(
    `migration level: ${String(level.applied)} applied${same ? "" : `, expected ${String(manifest.migrations.applied)}`}`,
  );
  return result;
}
