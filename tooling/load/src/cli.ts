import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { repoRoot } from "@runway/test-harness";

import type { Reconciliation } from "./reconcile";
import type { CapacityResult, RunResult } from "./results";
import type { ScenarioName } from "./scenarios";
import type { Stack } from "./stack";
import type { Verdict } from "./thresholds";
import type { Sample, StageResult } from "./traffic";
import { startScraper } from "./observe";
import { overloadVerdicts, stepVerdicts } from "./phases";
import { reconcileInPostgres } from "./reconcile";
import { writeReport } from "./report/write";
import { loadNow, machineNow } from "./results";
import { scenarios, SCENARIOS } from "./scenarios";
import { Scheduler } from "./scheduler";
import { createUsers, prepareAuths } from "./setup";
import { startStack } from "./stack";
import { summarize } from "./stats";
import { evaluate } from "./thresholds";
import { runStage } from "./traffic";
import { World } from "./world";

const USAGE = `usage: pnpm load <${SCENARIOS.join("|")}> [options]
  --target URL           run against a deployment (default: start API + worker here)
  --rate N               top arrival rate in requests/s (capacity: the step size)
  --duration S           seconds of the main hold (capacity: of each step)
  --capacity N           overload: the capacity found by \`pnpm load capacity\` (req/s)
  --users N              users the run registers (default 16 here, 4 against a target)
  --metrics-token T      METRICS_TOKEN of the target's API (queue depth, CPU, RSS)
  --worker-metrics URL   the target worker's /metrics
  --database URL         the target's PostgreSQL (read-only is enough) to reconcile imports
  --out DIR              run folder (default reports/load/<time>-<scenario>)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    target: { type: "string" },
    rate: { type: "string" },
    duration: { type: "string" },
    capacity: { type: "string" },
    users: { type: "string" },
    "metrics-token": { type: "string" },
    "worker-metrics": { type: "string" },
    database: { type: "string" },
    out: { type: "string" },
  },
});
const name = positionals[0] as ScenarioName | undefined;
if (!name || !SCENARIOS.includes(name)) {
  console.error(USAGE);
  process.exit(2);
}
const scenario = scenarios[name];
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
if (name === "overload" && !values.capacity) {
  console.error("overload needs --capacity N (the req/s `pnpm load capacity` reported)");
  process.exit(2);
}

const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
const outDir = path.resolve(
  values.out ?? path.join(repoRoot, "reports", "load", `${stamp}-${name}`),
);
mkdirSync(outDir, { recursive: true });

let stack: Stack | null = null;
let exitCode = 1;
try {
  const machine = machineNow();
  console.log(
    `load ${name}: ${scenario.description}; load average ${machine.loadavgStart.join(" ")}`,
  );
  if (!values.target) console.log("starting PostgreSQL, Redis, the API bundle and a worker ...");
  stack = values.target ? null : await startStack();
  const base = values.target?.replace(/\/$/, "") ?? stack?.url ?? "";
  const world = new World([]);
  world.users.push(
    ...(await createUsers(base, world.runId, num(values.users) ?? (stack ? 16 : 4))),
  );
  await prepareAuths(base, world, scenario.authPool);
  const seeded = new Set(world.acceptedImports);
  const scheduler = new Scheduler(() => scenario.session(world));

  const t0 = performance.now();
  const samples: Sample[] = [];
  const scraper = startScraper(
    stack
      ? {
          apiMetrics: stack.apiMetrics,
          workerMetrics: stack.workerMetrics,
          metricsToken: stack.metricsToken,
        }
      : {
          apiMetrics: `${base}/metrics`,
          workerMetrics: values["worker-metrics"] ?? null,
          metricsToken: values["metrics-token"] ?? null,
        },
    t0,
  );
  const first = name === "overload" ? num(values.capacity) : num(values.rate);
  const stages = scenario.stages(first, num(values.duration));
  const done: StageResult[] = [];
  let capacity: CapacityResult | undefined;
  if (name === "capacity") capacity = { rate: null, sessionsPerS: null, brokenBy: [], steps: [] };
  for (const stage of stages) {
    const sessionsBefore = scheduler.started;
    const result = await runStage(base, scheduler, stage, t0, samples);
    done.push(result);
    const s = summarize(samples, result.startMs, result.endMs);
    console.log(
      `  ${stage.name}: offered ${String(stage.rate)} req/s, answered ${s.rps.toFixed(1)} req/s, ` +
        `errors ${(s.errorRate * 100).toFixed(2)} %, shed ${(s.shedRate * 100).toFixed(2)} %, ` +
        `active sessions ${String(scheduler.active)}`,
    );
    if (capacity) {
      const verdicts = stepVerdicts(samples, scraper.scrapes, result);
      const pass = verdicts.every((v) => v.pass);
      capacity.steps.push({ rate: stage.rate, achieved: s.rps, pass, verdicts });
      if (!pass) {
        capacity.brokenBy = verdicts
          .filter((v) => !v.pass)
          .map((v) => `${v.name}: ${v.actual} (${v.limit})`);
        console.log(`  broke: ${capacity.brokenBy.join("; ")}`);
        break;
      }
      capacity.rate = stage.rate;
      capacity.sessionsPerS = (scheduler.started - sessionsBefore) / stage.durationS;
    }
  }
  await scraper.stop();

  const accepted = [...world.acceptedImports].filter((id) => !seeded.has(id));
  const databaseUrl = stack?.databaseUrl ?? values.database;
  let imports: Reconciliation | null = null;
  if (databaseUrl && accepted.length > 0) {
    console.log(`reconciling ${String(accepted.length)} accepted imports in PostgreSQL ...`);
    imports = await reconcileInPostgres(databaseUrl, accepted);
  }
  const summary = summarize(samples);
  // Capacity judges each step itself (stepVerdicts); the run's own checks are only what holds
  // whatever the rate: nothing accepted was lost.
  const checked =
    name === "capacity"
      ? {
          ...scenario.thresholds,
          p95Ms: {},
          p99Ms: {},
          maxErrorRate: 1,
          max429Share: 1,
          maxShedShare: undefined,
          maxSessionFailShare: undefined,
        }
      : scenario.thresholds;
  const verdicts: Verdict[] = evaluate(checked, summary, {
    sessions: world.counters,
    imports: imports ?? (accepted.length === 0 ? { accepted: 0, completed: 0, missing: 0 } : null),
  });
  if (name === "overload") verdicts.push(...overloadVerdicts(samples, done));
  if (capacity) {
    verdicts.push({
      name: "capacity found",
      limit: "first step holds",
      actual: capacity.rate === null ? "none" : `${String(capacity.rate)} req/s`,
      pass: capacity.rate !== null,
    });
  }
  const run: RunResult = {
    version: 1,
    scenario: name,
    description: scenario.description,
    target:
      values.target ?? "self-hosted on this machine (API bundle + 1 worker, PostgreSQL, Redis)",
    startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...machine, loadavgEnd: loadNow() },
    stages: done,
    samples,
    scrapes: scraper.scrapes,
    sessions: { ...world.counters, started: scheduler.started, retries: world.counters.retries },
    failures: Object.fromEntries(world.failures),
    imports,
    summary,
    thresholds: scenario.thresholds,
    verdicts,
    ...(capacity ? { capacity } : {}),
    pass: verdicts.every((v) => v.pass),
  };
  writeFileSync(path.join(outDir, "results.json"), JSON.stringify(run));
  const { markdown } = writeReport(run, outDir);
  console.log(`\n${markdown}`);
  console.log(`report: ${path.join(outDir, "report.html")}`);
  const passed = verdicts.filter((v) => v.pass).length;
  console.log(`load: ${String(passed)} passed, ${String(verdicts.length - passed)} failed`);
  exitCode = run.pass ? 0 : 1;
} catch (error) {
  console.error(error);
  console.log("load: 0 passed, 1 failed");
} finally {
  await stack?.stop();
}
process.exit(exitCode);
