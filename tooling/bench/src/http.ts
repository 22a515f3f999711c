import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";

import {
  createTestDatabase,
  freePort,
  launchNode,
  processCpuMs,
  processRssMb,
  startPostgres,
  startRedis,
  waitFor,
} from "@runway/test-harness";

import type { PacedResult } from "./paced";
import type { Scenario } from "./scenarios";
import {
  buildApiUnlessSkipped,
  launchApi,
  METRICS_TOKEN,
  nodeFlagsOption,
  option as optionOf,
  secrets,
} from "./api";
import { mergedLatency, paced } from "./paced";
import { scenarios } from "./scenarios";
import { seed } from "./seed";

/**
 * `pnpm bench:http`: the production bundle of the API against a bare express 5 + postgres.js
 * baseline on the same database, both driven by autocannon in this process, first without Redis
 * and then with it, the API with the node flags of its image (infra/docker/Dockerfile). Prints
 * one table per run. A benchmark: it asserts nothing about speed.
 *
 *   --duration=SECONDS   per endpoint (default 10; CI uses --short, 2)
 *   --connections=N      concurrent connections (default 32, as `wrk -c32`)
 *   --settle=SECONDS     idle time before the API's memory is read again (default 30; 0 with --short)
 *   --skip-build         use the existing apps/api/dist
 *   --only=TEXT          only the endpoints whose name contains TEXT
 *   --no-redis           only the run without Redis
 *   --profile=DIR        run the API with `node --cpu-prof` into DIR, built with the full source
 *                        map, which names library frames too (see profile-top.ts)
 *   --node-flags="..."   extra node/V8 flags for the API (e.g. "--max-semi-space-size=4")
 *   --baseline-server=runway  the baseline on Runway's HTTP server (apps/api/src/http/
 *                        express-server.ts) instead of `app.listen`: the gap without express's
 *                        per-request re-prototyping, which Runway's server avoids
 */
const args = process.argv.slice(2);
const short = args.includes("--short");
const option = (name: string) => optionOf(args, name);
const flag = (name: string, fallback: number) => Number(option(name) ?? fallback);
const DURATION = flag("duration", short ? 2 : 10);
const CONNECTIONS = flag("connections", 32);
const SETTLE = flag("settle", short ? 0 : 30);
const only = option("only");
const profileDir = option("profile");
const nodeFlags = nodeFlagsOption(args);
const baselineServer = option("baseline-server") === "runway" ? "runway" : "listen";

/** The API's V8 heap (used / total, MB) from its own /metrics: what of the RSS is the heap. */
async function heapMb(base: string): Promise<string> {
  const res = await fetch(`${base}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const text = await res.text();
  const gauge = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? 0) / 2 ** 20;
  return `${fmt(gauge("nodejs_heap_size_used_bytes"))} / ${fmt(gauge("nodejs_heap_size_total_bytes"))}`;
}
const launch = launchNode;
const until = waitFor;
const rssMb = processRssMb;
const cpuMs = processCpuMs;

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time the server spent per request, in µs: steadier than req/s on a busy machine. */
  cpuUs: number;
  /** The part of it spent on the main (JavaScript) thread; the rest is GC and libuv threads. */
  mainUs: number;
}

/** CPU time of a process's main thread so far, in ms. */
const mainThreadCpuMs = (pid: number | undefined) =>
  cpuMs(pid, `/proc/${String(pid)}/task/${String(pid)}/stat`);

/** One autocannon run against one server, with the CPU its process spent meanwhile. */
async function drive(
  base: string,
  pid: number | undefined,
  scenario: Scenario,
  context: unknown,
  seconds: number,
) {
  const cpuBefore = cpuMs(pid);
  const mainBefore = mainThreadCpuMs(pid);
  const connections = scenario.connections ?? CONNECTIONS;
  const requests = scenario.requests(context);
  const [first] = requests;
  const options = { url: base, connections, duration: seconds, requests };
  const cpu = () => ({
    cpuMs: cpuMs(pid) - cpuBefore,
    mainMs: mainThreadCpuMs(pid) - mainBefore,
  });
  if (scenario.rate && first) {
    const result: PacedResult = await paced(base, scenario.rate, seconds, connections, first);
    return { result, raw: null, options, ...cpu() };
  }
  // Unaggregated, autocannon's result keeps its latency histogram, which `combine` merges.
  const raw = await autocannon({ ...options, skipAggregateResult: true });
  const result: PacedResult = aggregateResult([raw], options);
  return { result, raw, options, ...cpu() };
}

/**
 * autocannon's merge of unaggregated results (its histograms added, then read), which
 * @types/autocannon does not declare.
 */
const aggregateResult = (
  autocannon as unknown as {
    aggregateResult: (
      results: autocannon.Result[],
      options: autocannon.Options,
    ) => autocannon.Result;
  }
).aggregateResult;

type Run = Awaited<ReturnType<typeof drive>>;

/**
 * Slices of one server's measurement, as one: rates and CPU over all of them; latencies from
 * their merged histograms, or for paced runs from all their latencies together.
 */
function combine(slices: Run[]): Measured {
  const sum = (pick: (run: Run) => number) => slices.reduce((acc, h) => acc + pick(h), 0);
  const total = sum((h) => h.result.requests.total);
  const seconds = sum((h) => h.result.duration);
  const raws = slices.flatMap((h) => (h.raw ? [h.raw] : []));
  const [first] = slices;
  const latency =
    first && raws.length === slices.length
      ? aggregateResult(raws, first.options).latency
      : mergedLatency(slices.map((h) => h.result));
  return {
    rps: total / Math.max(1e-9, seconds),
    p50: Math.round(latency.p50),
    p99: latency.p99,
    errors: sum((h) => h.result.errors + h.result.timeouts + h.result.non2xx),
    cpuUs: (sum((h) => h.cpuMs) * 1000) / Math.max(1, total),
    mainUs: (sum((h) => h.mainMs) * 1000) / Math.max(1, total),
  };
}

/**
 * Runway and its baseline on one endpoint: each warmed up first (unmeasured, so neither is
 * timed while V8 compiles it), then measured in one-second slices in the order A B B A A B B A
 * ..., so that the host's load, which on this machine swings within seconds, weighs on both
 * alike (two halves of 5 s each, A B B A, let one burst decide a ratio). The baseline is the
 * bare server on the same request, or (`versus`) another of Runway's endpoints. Without a
 * baseline, two halves.
 */
async function measure(
  ours: { url: string; pid: number | undefined },
  bare: { url: string; pid: number | undefined } | null,
  scenario: Scenario,
  context: unknown,
  bareScenario: Scenario = scenario,
): Promise<{ ours: Measured; bare: Measured | null }> {
  const half = DURATION / 2;
  const warmup = Math.min(2, half);
  await drive(ours.url, ours.pid, scenario, context, warmup);
  if (!bare) {
    const first = await drive(ours.url, ours.pid, scenario, context, half);
    const second = await drive(ours.url, ours.pid, scenario, context, half);
    return { ours: combine([first, second]), bare: null };
  }
  await drive(bare.url, bare.pid, bareScenario, context, warmup);
  const slices = Math.max(2, Math.floor(DURATION));
  const seconds = DURATION / slices;
  const mine: Run[] = [];
  const theirs: Run[] = [];
  // A B B A A B B A ...: in every four slices, the first and the last are Runway's.
  for (let k = 0; k < 2 * slices; k++) {
    if (k % 4 === 0 || k % 4 === 3)
      mine.push(await drive(ours.url, ours.pid, scenario, context, seconds));
    else theirs.push(await drive(bare.url, bare.pid, bareScenario, context, seconds));
  }
  return { ours: combine(mine), bare: combine(theirs) };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** Endpoints that answered only 2xx, and those that did not: completion, never timing. */
const outcome = { passed: 0, failed: 0 };

async function run(redisUrl: string | null, adminUrl: string): Promise<void> {
  const database = await createTestDatabase(adminUrl);
  const work = tmpdir();
  const apiPort = await freePort();
  const { child: api } = launchApi({
    port: apiPort,
    databaseUrl: database.url,
    redisUrl,
    flags: [...nodeFlags, ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [])],
  });
  const basePort = await freePort();
  const baseline = launch(
    ["--import", "tsx", "tooling/bench/src/baseline.ts"],
    {
      ...secrets,
      PORT: String(basePort),
      DATABASE_URL: database.url,
      BASELINE_SERVER: baselineServer,
    },
    path.join(work, `runway-bench-baseline-${basePort}.log`),
  );
  const runwayUrl = `http://127.0.0.1:${apiPort}`;
  const baselineUrl = `http://127.0.0.1:${basePort}`;
  try {
    await until(async () => (await fetch(`${runwayUrl}/readyz`)).ok, 60_000);
    await until(async () => (await fetch(`${baselineUrl}/healthz`)).ok, 60_000);
    const context = await seed(runwayUrl);

    console.log(
      `\n${redisUrl ? "With Redis" : "Without Redis"}: ${DURATION} s per endpoint, ${CONNECTIONS} connections` +
        (baselineServer === "runway" ? "; baseline on Runway's HTTP server" : ""),
    );
    const rows: string[][] = [];
    for (const scenario of scenarios.filter((s) => !only || s.name.includes(only))) {
      const versus = scenarios.find((s) => s.name === scenario.versus);
      const { ours, bare } = await measure(
        { url: runwayUrl, pid: api.pid },
        versus
          ? { url: runwayUrl, pid: api.pid }
          : scenario.baseline
            ? { url: baselineUrl, pid: baseline.pid }
            : null,
        scenario,
        context,
        versus,
      );
      rows.push([
        versus ? `${scenario.name}; baseline: Runway's ${versus.name}` : scenario.name,
        fmt(ours.rps),
        bare ? fmt(bare.rps) : "-",
        bare ? (ours.rps / bare.rps).toFixed(2) : "-",
        `${ours.p50} / ${ours.p99}`,
        `${fmt(ours.cpuUs)} (${fmt(ours.mainUs)})`,
        bare ? `${fmt(bare.cpuUs)} (${fmt(bare.mainUs)})` : "-",
        String(ours.errors),
        fmt(rssMb(api.pid)),
      ]);
      const clean =
        ours.errors === 0 && ours.rps > 0 && (!bare || (bare.errors === 0 && bare.rps > 0));
      outcome[clean ? "passed" : "failed"]++;
      console.log(
        `  measured ${scenario.name}; API heap used / total ${await heapMb(runwayUrl)} MB`,
      );
    }
    const blank = ["", "", "", "", "", "", ""];
    rows.push(["API RSS right after the last endpoint (MB)", fmt(rssMb(api.pid)), ...blank]);
    rows.push(["API heap used / total then (MB)", await heapMb(runwayUrl), ...blank]);
    if (SETTLE > 0) {
      // V8 gives back the heap it grew under load once allocation slows (its memory reducer
      // runs some 20 s later): what the process keeps when traffic pauses.
      await new Promise((resolve) => setTimeout(resolve, SETTLE * 1000));
      rows.push([`API RSS after ${String(SETTLE)} s idle (MB)`, fmt(rssMb(api.pid)), ...blank]);
      rows.push(["API heap used / total then (MB)", await heapMb(runwayUrl), ...blank]);
    }
    printTable(
      [
        "endpoint",
        "Runway req/s",
        "baseline req/s",
        "ratio",
        "p50 / p99 ms",
        "Runway CPU µs/req (main thread)",
        "baseline CPU µs/req (main thread)",
        "non-2xx",
        "API RSS MB after",
      ],
      rows,
    );
  } finally {
    const exited = new Promise((resolve) => api.once("exit", resolve));
    api.kill("SIGTERM");
    baseline.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await database.drop().catch(() => undefined);
  }
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

buildApiUnlessSkipped(args);
const givenDatabase = process.env.DATABASE_URL;
const pg = givenDatabase ? null : await startPostgres();
const adminUrl = givenDatabase ?? pg?.url ?? "";
const redis = await startRedis();
try {
  await run(null, adminUrl);
  if (!args.includes("--no-redis")) await run(redis.url, adminUrl);
} finally {
  await redis.destroy();
  await pg?.stop();
}
console.log(`\nbench: ${outcome.passed} passed, ${outcome.failed} failed`);
process.exitCode = outcome.failed === 0 ? 0 : 1;
