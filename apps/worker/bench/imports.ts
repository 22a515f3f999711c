import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";

import type { AppProcess } from "@runway/test-harness";
import { loadConfig } from "@runway/config";
import {
  benchmarkLimits,
  benchSecrets,
  createTestDatabase,
  freePort,
  launchNode,
  PASSWORD,
  startAppProcess,
  startPostgres,
  startRedis,
  waitFor,
} from "@runway/test-harness";

/**
 * `pnpm bench:imports`: the API and one worker as separate processes (their production bundles,
 * built first) on PostgreSQL and Redis, 100,000 contacts in 10,000-item requests, against the
 * bare baseline of tooling/bench/src/baseline.ts on the same database: express 5 and
 * postgres.js reducing the same items by the same rule and storing them completed, within the
 * request (no Idempotency-Key, queue, worker, validation, logs or metrics). The two alternate,
 * Runway, baseline, baseline, Runway, so that the machine's swings weigh on both alike.
 *
 * Prints each round's throughput from the first POST to the last completion and its POST
 * latency, the means and their ratio, the API's event-loop responsiveness while imports arrive
 * (/healthz round trips) and the peak RSS of the API and the worker. A benchmark: it asserts
 * nothing about speed, only that every round's imports were accepted, completed and stored
 * with the same counts (valid, invalid, duplicate, matched) as the first round's.
 *
 *   --requests=N      10,000-item requests per round (default 10; 2 with --short)
 *   --concurrency=N   requests in flight (default 2)
 *   --short           one round each (CI: completes and prints)
 *   --no-baseline     Runway alone, one round
 */
const args = process.argv.slice(2);
const short = args.includes("--short");
const flag = (name: string, fallback: number) =>
  Number(args.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const REQUESTS = flag("requests", short ? 2 : 10);
const ITEMS = 10_000;
const CONCURRENCY = flag("concurrency", 2);
type Server = "Runway" | "baseline";
const rounds: Server[] = args.includes("--no-baseline")
  ? ["Runway"]
  : short
    ? ["Runway", "baseline"]
    : ["Runway", "baseline", "baseline", "Runway"];

/** Warnings and errors only; printed if the run fails. */
const launch = (app: "api" | "worker", env: Record<string, string>): AppProcess =>
  startAppProcess(app, { LOG_LEVEL: "warn", ...benchSecrets, ...env }, { bundle: true });

execFileSync("pnpm", ["--filter", "@runway/api-server", "--filter", "@runway/worker", "build"], {
  stdio: "ignore",
});

/** Peak resident set size (VmHWM) of a live process, in MB. */
function peakRssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en");

const BENCH_EMAIL = "bench@example.com";

/**
 * One round's bodies, under a source of its own so that its imports can be counted apart:
 * contacts with a name and an email or an email and a phone, and in each request one of the
 * registered user (matched), five repeats (duplicates) and five phones too short (invalid).
 */
const bodiesOf = (source: string) =>
  Array.from({ length: REQUESTS }, (_, r) =>
    JSON.stringify({
      source,
      defaultRegion: "KR",
      items: Array.from({ length: ITEMS }, (_, i) => {
        const n = r * ITEMS + i;
        if (i === 0) return { email: BENCH_EMAIL };
        if (i % 2000 === 1998) return { email: `person${String(n - 2)}@example.com` };
        if (i % 2000 === 1999) return { email: `person${String(n)}@example.com`, phone: "010-12" };
        return i % 2 === 0
          ? { name: `Person ${String(n)}`, email: `person${String(n)}@example.com` }
          : {
              email: `person${String(n)}@example.com`,
              phone: `010-${String(1000 + (n % 9000))}-${String(n % 10_000).padStart(4, "0")}`,
            };
      }),
    }),
  );

// DATABASE_URL (a superuser URL) when given, else a throwaway cluster.
const configured = loadConfig().database;
const pg = configured.kind === "postgres" ? null : await startPostgres();
const adminUrl = configured.kind === "postgres" ? configured.url : (pg?.url ?? "");
const database = await createTestDatabase(adminUrl);
const redis = await startRedis();
const port = await freePort();
const base = `http://127.0.0.1:${String(port)}`;
const basePort = await freePort();
const baselineUrl = `http://127.0.0.1:${String(basePort)}`;
const common = {
  ...benchmarkLimits,
  DATABASE_URL: database.url,
  REDIS_URL: redis.url,
  WORKER_CONCURRENCY: "2",
  // Any free port: another worker on this machine may hold the default.
  WORKER_METRICS_PORT: "0",
};
const api = launch("api", {
  ...common,
  PORT: String(port),
  MIGRATE_ON_START: "true",
});
let worker: AppProcess | undefined;
const baselineLog = path.join(tmpdir(), `runway-bench-imports-baseline-${String(basePort)}.log`);
const baseline = rounds.includes("baseline")
  ? launchNode(
      ["--import", "tsx", "tooling/bench/src/baseline.ts"],
      { ...benchSecrets, DATABASE_URL: database.url, PORT: String(basePort) },
      baselineLog,
    )
  : null;
const sql = postgres(database.url, { max: 2, onnotice: () => undefined });

const completedOf = async (source: string) => {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from imports where source = ${source} and status = 'completed'`;
  return row?.n ?? 0;
};

interface Round {
  server: Server;
  recordsPerSecond: number;
  seconds: number;
  acceptedAfter: number;
  latencies: number[];
}

try {
  await waitFor(async () => (await fetch(`${base}/readyz`)).ok, 60_000);
  if (baseline) await waitFor(async () => (await fetch(`${baselineUrl}/healthz`)).ok, 60_000);
  worker = launch("worker", common);
  const register = await fetch(`${base}/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: BENCH_EMAIL, password: PASSWORD }),
  });
  const { tokens } = (await register.json()) as { tokens: { accessToken: string } };

  // Event-loop responsiveness of the API while imports arrive: /healthz round trips.
  const probes: number[] = [];
  const probing = { on: false };
  const probe = async () => {
    while (probing.on) {
      const t = performance.now();
      // A failed probe (the run already failing) must not hide the run's own error.
      await fetch(`${base}/healthz`).catch(() => undefined);
      probes.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  const results: Round[] = [];
  const outcome = { passed: 0, failed: 0 };
  let firstOutcome: string | undefined;
  for (const [index, server] of rounds.entries()) {
    const source = `bench-${String(index)}`;
    const bodies = bodiesOf(source);
    const url = server === "Runway" ? base : baselineUrl;
    probing.on = server === "Runway";
    const prober = probe();
    const latencies: number[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const request = next++;
          const t = performance.now();
          const res = await fetch(`${url}/v1/imports`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              authorization: `Bearer ${tokens.accessToken}`,
              "idempotency-key": `${source}-${String(request)}`,
            },
            body: bodies[request],
          });
          await res.arrayBuffer();
          latencies.push(performance.now() - t);
          if (res.status !== 202)
            throw new Error(`${server}: POST /v1/imports answered ${res.status}`);
        }
      }),
    );
    const accepted = performance.now();
    probing.on = false;
    await prober;
    await waitFor(async () => (await completedOf(source)) === REQUESTS, 300_000);
    const seconds = (performance.now() - started) / 1000;
    // Every item stored, and the same outcome as the first round's: both servers did the same work.
    const [stored] = await sql<{ items: number; outcome: string }[]>`
      select (select count(*)::int from import_items
              where import_id in (select id from imports where source = ${source})) as items,
             concat_ws(' ', sum(valid_items), sum(invalid_items), sum(duplicate_items),
                       sum(matched_items)) as outcome
      from imports where source = ${source}`;
    firstOutcome ??= stored?.outcome;
    const same = stored?.items === REQUESTS * ITEMS && stored.outcome === firstOutcome;
    outcome[same ? "passed" : "failed"]++;
    results.push({
      server,
      recordsPerSecond: (REQUESTS * ITEMS) / seconds,
      seconds,
      acceptedAfter: (accepted - started) / 1000,
      latencies,
    });
  }

  console.log(
    `bench:imports — ${fmt(REQUESTS * ITEMS)} records per round in ${REQUESTS} requests of ${fmt(ITEMS)}, ${CONCURRENCY} concurrent`,
  );
  console.log(
    "| round | server   | records/s | seconds | all accepted after s | POST p50 / p95 ms |",
  );
  console.log(
    "|-------|----------|-----------|---------|----------------------|-------------------|",
  );
  for (const [index, round] of results.entries()) {
    console.log(
      `| ${String(index + 1).padEnd(5)} | ${round.server.padEnd(8)} | ${fmt(round.recordsPerSecond).padStart(9)} | ${round.seconds.toFixed(2).padStart(7)} | ${round.acceptedAfter.toFixed(2).padStart(20)} | ${`${percentile(round.latencies, 50).toFixed(0)} / ${percentile(round.latencies, 95).toFixed(0)}`.padStart(17)} |`,
    );
  }
  const mean = (server: Server) => {
    const of = results.filter((round) => round.server === server);
    return of.reduce((sum, round) => sum + round.recordsPerSecond, 0) / Math.max(1, of.length);
  };
  const runway = mean("Runway");
  const bare = mean("baseline");
  console.log(
    `  end to end:            Runway ${fmt(runway)} records/s (first POST to last completion)` +
      (baseline ? `; baseline ${fmt(bare)}; ratio ${(runway / bare).toFixed(2)}` : "") +
      // One round each, Runway's first while V8 still compiles it: a check that both complete.
      (short ? " (short profile: one cold round each, not a comparison)" : ""),
  );
  console.log(
    `  /healthz during POSTs: p50 ${percentile(probes, 50).toFixed(1)} ms, p99 ${percentile(probes, 99).toFixed(1)} ms, max ${Math.max(...probes).toFixed(1)} ms (${probes.length} probes)`,
  );
  console.log(
    `  peak RSS:              api ${peakRssMb(api.child.pid).toFixed(0)} MB, worker ${peakRssMb(worker.child.pid).toFixed(0)} MB`,
  );
  console.log(`\nimports: ${outcome.passed} passed, ${outcome.failed} failed`);
  process.exitCode = outcome.failed === 0 ? 0 : 1;
} catch (error) {
  console.error([...api.logs, ...(worker?.logs ?? [])].join("\n"));
  if (baseline) console.error(`the baseline's log: ${baselineLog}`);
  throw error;
} finally {
  await sql.end();
  baseline?.kill("SIGTERM");
  await worker?.kill("SIGTERM");
  await api.kill("SIGTERM");
  await redis.destroy();
  await database.drop();
  await pg?.stop();
}
