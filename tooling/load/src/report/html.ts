import type { RunResult } from "../results";
import type { Delta } from "./compare";
import type { Series } from "./series";
import { SLO_P95_MS } from "../routes";
import { latencyRows } from "../stats";
import { timeSeries } from "./series";
import { escapeHtml, lineChart } from "./svg";

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111827;max-width:1180px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}.meta{color:#4b5563}
.pass{color:#15803d;font-weight:600}.fail{color:#b91c1c;font-weight:600}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #e5e7eb;padding:3px 8px;text-align:left}
th{background:#f9fafb}.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px}
.grid svg{border:1px solid #e5e7eb;border-radius:6px;width:100%;height:auto}`;

function table(header: string[], rows: string[][]): string {
  return `<table><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`)
    .join("")}</table>`;
}

const verdict = (pass: boolean, yes = "pass", no = "FAIL") =>
  `<span class="${pass ? "pass" : "fail"}">${pass ? yes : no}</span>`;

/** The self-contained HTML report of one run (and, given, its comparison with a baseline). */
export function htmlReport(
  run: RunResult,
  comparison?: { baseline: RunResult; deltas: Delta[]; note: string },
): string {
  const ts = timeSeries(run);
  const marks = run.stages.map((s) => ({
    x: s.startMs / 1000,
    label: `${s.name}: ${String(s.rate)} req/s`,
  }));
  const latencyCharts = ts.latency.map((c) => {
    const slo: Series = {
      name: "SLO p95",
      points: c.series[0]?.points.map((p) => ({ x: p.x, y: SLO_P95_MS[c.cls] })) ?? [],
    };
    return lineChart(`Latency: ${c.cls}`, [...c.series, slo], { unit: "ms", marks });
  });
  const charts = [
    ...latencyCharts,
    lineChart("Throughput", ts.throughput, { unit: "req/s", marks }),
    lineChart("Errors, 429 and shed 503", ts.errors, {
      unit: "% of requests",
      marks,
      percent: true,
    }),
    lineChart("Import queue depth", ts.queue, { unit: "jobs", marks }),
    lineChart("Oldest waiting import", ts.oldest, { unit: "s", marks }),
    lineChart("CPU", ts.cpu, { unit: "% of one core", marks }),
    lineChart("RSS", ts.rss, { unit: "MB", marks }),
  ];
  const m = run.machine;
  const s = run.summary;
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Load run ${escapeHtml(run.scenario)}</title><style>${CSS}</style></head><body>`,
    `<h1>Load run: ${escapeHtml(run.scenario)} ${verdict(run.pass, "PASS", "FAIL")}</h1>`,
    `<p class="meta">${escapeHtml(run.description)}. Target: ${escapeHtml(run.target)}. Started ${escapeHtml(run.startedAt)}.<br>` +
      `Machine: ${String(m.cpus)} × ${escapeHtml(m.model)}, ${String(m.memGb)} GB, Node ${escapeHtml(m.node)}; load average ${m.loadavgStart.join(" ")} → ${m.loadavgEnd.join(" ")}.<br>` +
      `${String(s.requests)} requests in ${s.durationS.toFixed(0)} s (${s.rps.toFixed(1)} req/s); sessions ${String(run.sessions.started)} started, ${String(run.sessions.completed)} completed, ${String(run.sessions.failed)} failed; ${String(run.sessions.refreshes)} token refreshes, ${String(run.sessions.retries)} retries.</p>`,
  ];
  if (run.capacity) {
    const c = run.capacity;
    parts.push(
      `<h2>Capacity: ${c.rate === null ? "none" : `${String(c.rate)} req/s`} (${c.sessionsPerS?.toFixed(2) ?? "-"} sessions/s)</h2>`,
      `<p>Broken by: ${escapeHtml(c.brokenBy.join("; ") || "nothing (ran out of steps)")}</p>`,
      table(
        ["offered req/s", "answered req/s", "held"],
        c.steps.map((st) => [
          String(st.rate),
          st.achieved.toFixed(1),
          verdict(st.pass, "yes", "no"),
        ]),
      ),
    );
  }
  if (run.imports) {
    const i = run.imports;
    parts.push(
      `<p>Imports accepted: ${String(i.accepted)}; completed ${String(i.completed)}, failed ${String(i.failed)}, pending ${String(i.pending)}, missing ${String(i.missing)} (${escapeHtml(i.source)}).</p>`,
    );
  }
  parts.push(
    "<h2>Thresholds</h2>",
    table(
      ["check", "limit", "actual", "verdict"],
      run.verdicts.map((v) => [
        escapeHtml(v.name),
        escapeHtml(v.limit),
        escapeHtml(v.actual),
        verdict(v.pass),
      ]),
    ),
    "<h2>Latency by route class</h2>",
    table(
      ["class", "requests", "p50 ms", "p95 ms", "p99 ms", "SLO p95"],
      latencyRows(s).map((row) => [...row, `${String(SLO_P95_MS[row[0]])} ms`]),
    ),
  );
  if (comparison) {
    parts.push(
      `<h2>Compared with ${escapeHtml(comparison.baseline.startedAt)}</h2><p>${escapeHtml(comparison.note)}</p>`,
      table(
        ["metric", "baseline", "candidate", "change", "verdict"],
        comparison.deltas.map((d) => [
          escapeHtml(d.metric),
          d.baseline.toFixed(2),
          d.candidate.toFixed(2),
          escapeHtml(d.change),
          verdict(!d.regression, "ok", "REGRESSION"),
        ]),
      ),
    );
  }
  parts.push(
    "<h2>Over time</h2>",
    `<div class="grid">${charts.join("\n")}</div>`,
    "</body></html>",
  );
  return parts.join("\n");
}
