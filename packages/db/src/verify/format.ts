import type { DatabaseReport } from "./types";

const MARK = { pass: "ok  ", warn: "WARN", fail: "FAIL" } as const;

/** The report as a terminal table: one line per check, then the verdict. */
export function formatReport(report: DatabaseReport): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const lines = report.checks.map(
    (check) => `${MARK[check.status]}  ${check.name.padEnd(width)}  ${check.reason}`,
  );
  const count = (status: string) => report.checks.filter((check) => check.status === status).length;
  lines.push(
    `db:verify: ${String(count("pass") + count("warn"))} passed, ${String(count("fail"))} failed (${String(count("warn"))} warnings)`,
  );
  return lines.join("\n");
}
