import { writeFileSync } from "node:fs";
import path from "node:path";

import type { RunResult } from "../results";
import type { Tolerance } from "./compare";
import { compareRuns, comparisonMarkdown, DEFAULT_TOLERANCE } from "./compare";
import { htmlReport } from "./html";
import { markdownSummary } from "./markdown";

/** Writes report.html and summary.md for a run into `dir`; with a baseline, the comparison too. */
export function writeReport(
  run: RunResult,
  dir: string,
  baseline?: RunResult,
  tolerance: Tolerance = DEFAULT_TOLERANCE,
): { markdown: string; html: string; regressions: number } {
  let markdown = markdownSummary(run);
  let comparison: Parameters<typeof htmlReport>[1];
  let regressions = 0;
  if (baseline) {
    const deltas = compareRuns(baseline, run, tolerance);
    regressions = deltas.filter((d) => d.regression).length;
    const md = comparisonMarkdown(baseline, run, deltas, tolerance);
    markdown += `\n${md}`;
    comparison = { baseline, deltas, note: md.split("\n")[2] ?? "" };
  }
  const html = htmlReport(run, comparison);
  writeFileSync(path.join(dir, "report.html"), html);
  writeFileSync(path.join(dir, "summary.md"), markdown);
  return { markdown, html, regressions };
}
