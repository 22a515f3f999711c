import { parseArgs } from "node:util";

import { rehearseBackupRestore } from "./backup/rehearse";
import { printSummary, writeReport } from "./backup/report";

/**
 * `pnpm db:rehearse [--users N] [--imports-per-user N] [--items-per-import N] [--reports DIR]`:
 * backup and restore rehearsed on a throwaway cluster of the machine's PostgreSQL. Default
 * volume: 5,000 users, 10,000 imports, 200,000 items.
 */
try {
  const { values } = parseArgs({
    options: {
      users: { type: "string", default: "5000" },
      "imports-per-user": { type: "string", default: "2" },
      "items-per-import": { type: "string", default: "20" },
      reports: { type: "string", default: "reports" },
    },
  });
  const report = await rehearseBackupRestore({
    users: Number(values.users),
    importsPerUser: Number(values["imports-per-user"]),
    itemsPerImport: Number(values["items-per-import"]),
  });
  const files = writeReport(report, values.reports);
  process.exitCode = printSummary("rehearse", report, files) ? 0 : 1;
} catch (error) {
  console.error(`db:rehearse failed: ${error instanceof Error ? error.message : String(error)}`);
  console.log("rehearse: 0 passed, 1 failed");
  process.exitCode = 1;
}
