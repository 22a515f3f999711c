import type { TestProject } from "vitest/node";

import "./provided-context";

import { startPostgres } from "./postgres";

/**
 * vitest globalSetup: a real PostgreSQL for the run. DATABASE_URL (a superuser URL) wins;
 * otherwise a throwaway cluster is started from the machine's binaries.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL;
  if (external) {
    project.provide("postgresAdminUrl", external);
    return () => Promise.resolve();
  }
  const server = await startPostgres();
  project.provide("postgresAdminUrl", server.url);
  return () => server.stop();
}
