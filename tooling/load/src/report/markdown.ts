import type { RunResult } from "../results";
import { latencyRows } from "../stats";

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => " --- ").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** The run's markdown summary: setup, the thresholds with verdicts, per-class latency. */
export function markdownSummary(run: RunResult): string {
  const m = run.machine;
  const s = run.summary;
  const lines = [
    `# Load run: ${run.scenario} — ${run.pass ? "PASS" : "FAIL"}`,
    "",
    `${run.description}. Target: ${run.target}. Started ${run.startedAt}.`,
    "",
    `Machine: ${String(m.cpus)} × ${m.model}, ${String(m.memGb)} GB, Node ${m.node}; load average ` +
      `${m.loadavgStart.join(" ")} at the start, ${m.loadavgEnd.join(" ")} at the end (shared machine).`,
    "",
    `Requests: ${String(s.requests)} in ${s.durationS.toFixed(0)} s (${s.rps.toFixed(1)} req/s); ` +
      `sessions started ${String(run.sessions.started)}, completed ${String(run.sessions.completed)}, ` +
      `failed ${String(run.sessions.failed)}, dropped at a stage end ${String(run.sessions.abandoned ?? 0)}; token refreshes ${String(run.sessions.refreshes)}; ` +
      `retries ${String(run.sessions.retries)}; 429 ${pct(s.rate429)}, shed 503 ${pct(s.shedRate)}, ` +
      `errors ${pct(s.errorRate)}.`,
    "",
  ];
  if (run.capacity) {
    const c = run.capacity;
    lines.push(
      `**Capacity: ${c.rate === null ? "none (the first step broke)" : `${String(c.rate)} req/s`}** ` +
        `(${c.sessionsPerS?.toFixed(2) ?? "-"} Android sessions/s started); broken by: ${c.brokenBy.join("; ") || "nothing (ran out of steps)"}.`,
      "",
      table(
        ["offered req/s", "answered req/s", "held"],
        c.steps.map((st) => [String(st.rate), st.achieved.toFixed(1), st.pass ? "yes" : "no"]),
      ),
      "",
    );
  }
  if (run.imports) {
    const i = run.imports;
    lines.push(
      `Imports accepted (202): ${String(i.accepted)}; completed ${String(i.completed)}, failed ${String(i.failed)}, ` +
        `still pending ${String(i.pending)}, missing ${String(i.missing)} (checked in ${i.source} after ${String(i.waitedS)} s).`,
      "",
    );
  }
  lines.push(
    "## Thresholds",
    "",
    table(
      ["check", "limit", "actual", "verdict"],
      run.verdicts.map((v) => [v.name, v.limit, v.actual, v.pass ? "pass" : "**FAIL**"]),
    ),
    "",
    "## Latency by route class (whole run)",
    "",
    table(["class", "requests", "p50 ms", "p95 ms", "p99 ms"], latencyRows(s)),
  );
  const failures = Object.entries(run.failures);
  if (failures.length > 0) {
    lines.push(
      "",
      "Failed sessions by cause: " +
        failures.map(([k, v]) => `${k} × ${String(v)}`).join(", ") +
        ".",
    );
  }
  return lines.join("\n") + "\n";
}
