import { parseArgs } from "node:util";

import { rehearsePitr } from "./backup/pitr";
import { printSummary, writeReport } from "./backup/report";

/** `pnpm db:rehearse:pitr [--users N] [--reports DIR]`: the point-in-time recovery rehearsal. */
try {
  const { values } = parseArgs({
    options: {
      users: { type: "string", default: "200" },
      reports: { type: "string", default: "reports" },
    },
  });
  const report = await rehearsePitr(Number(values.users));
  const files = writeReport(report, values.reports);
  process.exitCode = printSummary("pitr", report, files) ? 0 : 1;
} catch (error) {
  console.error(
    `db:rehearse:pitr failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  console.log("pitr: 0 passed, 1 failed");
  process.exitCode = 1;
}
