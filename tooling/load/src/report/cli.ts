import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import type { RunResult } from "../results";
import { DEFAULT_TOLERANCE } from "./compare";
import { writeReport } from "./write";

/**
 * `pnpm load:report <run> [--compare <baseline run>] [--tolerance 10] [--out DIR]`: the HTML
 * report and markdown summary of a run folder (or its results.json); with --compare, the
 * deltas against a baseline, exiting 1 on a regression beyond the tolerance (percent latency
 * and throughput; rates in percentage points use --rate-tolerance, default 0.5).
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    compare: { type: "string" },
    tolerance: { type: "string" },
    "rate-tolerance": { type: "string" },
    out: { type: "string" },
  },
});

function load(where: string): RunResult {
  const file = statSync(where).isDirectory() ? path.join(where, "results.json") : where;
  return JSON.parse(readFileSync(file, "utf8")) as RunResult;
}

const where = positionals[0];
if (!where || !existsSync(where)) {
  console.error(
    "usage: pnpm load:report <run folder or results.json> [--compare <baseline>] [--tolerance PCT] [--out DIR]",
  );
  process.exit(2);
}
const run = load(where);
const baseline = values.compare ? load(values.compare) : undefined;
const pctTolerance = values.tolerance ? Number(values.tolerance) / 100 : DEFAULT_TOLERANCE.latency;
const tolerance = {
  latency: pctTolerance,
  throughput: pctTolerance,
  ratePoints: values["rate-tolerance"]
    ? Number(values["rate-tolerance"])
    : DEFAULT_TOLERANCE.ratePoints,
};
const dir = path.resolve(
  values.out ?? (statSync(where).isDirectory() ? where : path.dirname(where)),
);
mkdirSync(dir, { recursive: true });
const { markdown, regressions } = writeReport(run, dir, baseline, tolerance);
console.log(markdown);
console.log(`report: ${path.join(dir, "report.html")}`);
process.exit(regressions > 0 ? 1 : 0);
