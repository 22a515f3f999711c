import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface RehearsalReport {
  name: string;
  startedAt: string;
  figures: Record<string, number | string>;
  checks: { name: string; ok: boolean; detail: string }[];
}

/** Writes `<name>-<time>.md` and `.json` into the reports folder; returns both paths. */
export function writeReport(report: RehearsalReport, folder = "reports"): string[] {
  mkdirSync(folder, { recursive: true });
  const base = path.join(folder, `${report.name}-${report.startedAt.replace(/[:.]/g, "-")}`);
  const passed = report.checks.filter((check) => check.ok).length;
  const markdown = [
    `# ${report.name}: ${String(passed)} of ${String(report.checks.length)} checks passed`,
    "",
    `Started ${report.startedAt}.`,
    "",
    "| figure | value |",
    "| --- | --- |",
    ...Object.entries(report.figures).map(([key, value]) => `| ${key} | ${String(value)} |`),
    "",
    "| check | result | detail |",
    "| --- | --- | --- |",
    ...report.checks.map(
      (check) => `| ${check.name} | ${check.ok ? "pass" : "FAIL"} | ${check.detail} |`,
    ),
    "",
  ].join("\n");
  writeFileSync(`${base}.md`, markdown);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  return [`${base}.md`, `${base}.json`];
}

export function printSummary(label: string, report: RehearsalReport, files: string[]): boolean {
  for (const [key, value] of Object.entries(report.figures))
    console.log(`${key.padEnd(34)} ${String(value)}`);
  for (const check of report.checks)
    console.log(`${check.ok ? "ok  " : "FAIL"}  ${check.name}: ${check.detail}`);
  console.log(`reports: ${files.join(", ")}`);
  const passed = report.checks.filter((check) => check.ok).length;
  console.log(
    `${label}: ${String(passed)} passed, ${String(report.checks.length - passed)} failed`,
  );
  return passed === report.checks.length;
}
