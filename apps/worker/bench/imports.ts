import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import postgres from "postgres";

import type { AppProcess } from "@runway/test-harness";
import { loadConfig } from "@runway/config";
import {
  benchmarkLimits,
  benchSecrets,
  createTestDatabase,
  freePort,
  PASSWORD,
  startAppProcess,
  startPostgres,
  startRedis,
  waitFor,
} from "@runway/test-harness";

/**
 * `pnpm bench:imports`: the API and one worker as separate processes (their production bundles,
 * built first) on PostgreSQL and Redis, 100,000 contacts in 10,000-item requests. Prints throughput from the first POST to the last
 * completion, POST latency, event-loop responsiveness of the API while imports arrive, and the
 * peak RSS of both processes. A benchmark, not a test: it asserts nothing.
 */
const flag = (name: string, fallback: number) =>
  Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const REQUESTS = flag("requests", 10);
const ITEMS = 10_000;
const CONCURRENCY = flag("concurrency", 2);

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

// DATABASE_URL (a superuser URL) when given, else a throwaway cluster.
const configured = loadConfig().database;
const pg = configured.kind === "postgres" ? null : await startPostgres();
const adminUrl = configured.kind === "postgres" ? configured.url : (pg?.url ?? "");
const database = await createTestDatabase(adminUrl);
const redis = await startRedis();
const port = await freePort();
const base = `http://127.0.0.1:${String(port)}`;
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
const sql = postgres(database.url, { max: 2, onnotice: () => undefined });

try {
  await waitFor(async () => (await fetch(`${base}/readyz`)).ok, 60_000);
  worker = launch("worker", common);
  const register = await fetch(`${base}/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "bench@example.com", password: PASSWORD }),
  });
  const { tokens } = (await register.json()) as { tokens: { accessToken: string } };

  const bodies = Array.from({ length: REQUESTS }, (_, r) =>
    JSON.stringify({
      source: "bench",
      defaultRegion: "KR",
      items: Array.from({ length: ITEMS }, (_, i) => {
        const n = r * ITEMS + i;
        return i % 2 === 0
          ? { name: `Person ${n}`, email: `person${n}@example.com` }
          : {
              email: `person${n}@example.com`,
              phone: `010-${String(1000 + (n % 9000))}-${String(n % 10_000).padStart(4, "0")}`,
            };
      }),
    }),
  );

  // Event-loop responsiveness of the API while imports arrive: /healthz round trips.
  const probes: number[] = [];
  const probing = { on: true };
  const prober = (async () => {
    while (probing.on) {
      const t = performance.now();
      // A failed probe (the run already failing) must not hide the run's own error.
      await fetch(`${base}/healthz`).catch(() => undefined);
      probes.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();

  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const index = next++;
        const t = performance.now();
        const res = await fetch(`${base}/v1/imports`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${tokens.accessToken}`,
            "idempotency-key": `bench-${index}`,
          },
          body: bodies[index],
        });
        latencies.push(performance.now() - t);
        if (res.status !== 202) throw new Error(`POST /v1/imports answered ${res.status}`);
      }
    }),
  );
  const accepted = performance.now();
  probing.on = false;
  await prober;
  await waitFor(async () => {
    const [row] = await sql<
      { n: number }[]
    >`select count(*)::int as n from imports where status = 'completed'`;
    return row?.n === REQUESTS;
  }, 300_000);
  const finished = performance.now();
  const records = REQUESTS * ITEMS;
  const seconds = (finished - started) / 1000;

  console.log(
    `bench:imports — ${records.toLocaleString("en")} records in ${REQUESTS} requests of ${ITEMS.toLocaleString("en")}, ${CONCURRENCY} concurrent`,
  );
  console.log(
    `  end to end:            ${Math.round(records / seconds).toLocaleString("en")} records/s (${seconds.toFixed(2)} s, first POST to last completion)`,
  );
  console.log(`  all accepted after:    ${((accepted - started) / 1000).toFixed(2)} s`);
  console.log(
    `  POST /v1/imports:      p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms`,
  );
  console.log(
    `  /healthz during POSTs: p50 ${percentile(probes, 50).toFixed(1)} ms, p99 ${percentile(probes, 99).toFixed(1)} ms, max ${Math.max(...probes).toFixed(1)} ms (${probes.length} probes)`,
  );
  console.log(
    `  peak RSS:              api ${peakRssMb(api.child.pid).toFixed(0)} MB, worker ${peakRssMb(worker.child.pid).toFixed(0)} MB`,
  );
} catch (error) {
  console.error([...api.logs, ...(worker?.logs ?? [])].join("\n"));
  throw error;
} finally {
  await sql.end();
  await worker?.kill("SIGTERM");
  await api.kill("SIGTERM");
  await redis.destroy();
  await database.drop();
  await pg?.stop();
}
