/**
 * `pnpm canary:analyze --prometheus URL [--window 10m] [--report FILE]`: compares the canary
 * API track with stable in Prometheus and prints promote or roll back with the reasons.
 * Exit code: 0 promote, 1 roll back, 2 inconclusive (too little traffic, or no answer).
 * docs/runbooks/release.md, step 5.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import type { Thresholds } from "./canary";
import { analyzeCanary, DEFAULT_THRESHOLDS, EXIT_CODES } from "./canary";
import { sampleTracks } from "./prometheus";

const { values } = parseArgs({
  options: {
    prometheus: { type: "string" },
    window: { type: "string", default: "10m" },
    report: { type: "string", default: "reports/canary-analysis.json" },
    "min-requests": { type: "string" },
    "max-5xx-increase": { type: "string" },
    "max-5xx-ratio": { type: "string" },
    "max-p95-ratio": { type: "string" },
    "max-p95": { type: "string" },
  },
});

function usage(problem: string): never {
  console.error(
    `${problem}\nusage: pnpm canary:analyze --prometheus URL [--window 10m] [--report FILE]`,
  );
  process.exit(EXIT_CODES.inconclusive);
}

if (!values.prometheus || !/^https?:\/\//.test(values.prometheus))
  usage("--prometheus URL is required");
if (!/^\d+[smh]$/.test(values.window))
  usage(`--window must be a duration like 10m, got ${values.window}`);
const number = (flag: keyof typeof values, fallback: number) => {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (!Number.isFinite(parsed) || parsed < 0) usage(`--${flag} must be a non-negative number`);
  return parsed;
};
const thresholds: Thresholds = {
  ...DEFAULT_THRESHOLDS,
  minRequests: number("min-requests", DEFAULT_THRESHOLDS.minRequests),
  maxErrorRatioIncrease: number("max-5xx-increase", DEFAULT_THRESHOLDS.maxErrorRatioIncrease),
  maxErrorRatio: number("max-5xx-ratio", DEFAULT_THRESHOLDS.maxErrorRatio),
  maxP95Ratio: number("max-p95-ratio", DEFAULT_THRESHOLDS.maxP95Ratio),
  maxP95Seconds: number("max-p95", DEFAULT_THRESHOLDS.maxP95Seconds),
};

console.error(`querying ${values.prometheus} over the last ${values.window} ...`);
let samples;
try {
  samples = await sampleTracks(values.prometheus, values.window);
} catch (error) {
  console.error(`cannot decide: ${error instanceof Error ? error.message : String(error)}`);
  console.log("decision: inconclusive");
  process.exit(EXIT_CODES.inconclusive);
}
const stable = samples.get("stable");
const canary = samples.get("canary");
const analysis = analyzeCanary(stable, canary, thresholds);

const row = (name: string, s: typeof stable) =>
  s
    ? `${name.padEnd(8)} ${String(Math.round(s.requests)).padStart(9)} ${`${(s.errorRatio * 100).toFixed(2)}%`.padStart(8)} ${(s.p95Seconds === null ? "n/a" : `${Math.round(s.p95Seconds * 1000)} ms`).padStart(9)}`
    : `${name.padEnd(8)} ${"no data".padStart(9)}`;
console.log(`track     requests      5xx       p95`);
console.log(row("stable", stable));
console.log(row("canary", canary));
const label = { promote: "PROMOTE", rollback: "ROLL BACK", inconclusive: "INCONCLUSIVE" }[
  analysis.decision
];
console.log(`decision: ${label}`);
for (const reason of analysis.reasons) console.log(`  - ${reason}`);

mkdirSync(path.dirname(path.resolve(values.report)), { recursive: true });
writeFileSync(
  values.report,
  `${JSON.stringify({ at: new Date().toISOString(), window: values.window, thresholds, stable, canary, ...analysis }, null, 2)}\n`,
);
console.error(`report: ${values.report}`);
process.exit(EXIT_CODES[analysis.decision]);
