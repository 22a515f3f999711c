import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

import { loadConfig } from "@runway/config";
import { createTestDatabase, startPostgres, startRedis } from "@runway/test-harness";

/**
 * `pnpm bench:imports`: the API and one worker as separate processes on PostgreSQL and Redis,
 * 100,000 contacts in 10,000-item requests. Prints throughput from the first POST to the last
 * completion, POST latency, event-loop responsiveness of the API while imports arrive, and the
 * peak RSS of both processes. A benchmark, not a test: it asserts nothing.
 */
const flag = (name: string, fallback: number) =>
  Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const REQUESTS = flag("requests", 10);
const ITEMS = 10_000;
const CONCURRENCY = flag("concurrency", 2);
const root = fileURLToPath(new URL("../../../", import.meta.url));

const secrets = {
  JWT_SECRET: "k3J9vQ2mX8pL5rT1wZ6yB4nC7dF0gH2jK5mN8qR1tV4xY7zA",
  PII_HASH_KEY: "Zq8Lr2Vx7Nc4Tb9Wm1Ks6Hd3Jf0Gp5Ya8Ue2Io7Pl4Qw9",
};

function launch(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script], {
    cwd: root,
    // Only what the services need: nothing of this shell's environment leaks in.
    env: { NODE_ENV: "test", LOG_LEVEL: "warn", ...secrets, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Peak resident set size (VmHWM) of a live process, in MB. */
function peakRssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// DATABASE_URL (a superuser URL) when given, else a throwaway cluster.
const configured = loadConfig().database;
const pg = configured.kind === "postgres" ? null : await startPostgres();
const adminUrl = configured.kind === "postgres" ? configured.url : (pg?.url ?? "");
const database = await createTestDatabase(adminUrl);
const redis = await startRedis();
const port = 3000 + Math.floor(Math.random() * 2000) + 1000;
const base = `http://127.0.0.1:${port}`;
const common = {
  DATABASE_URL: database.url,
  REDIS_URL: redis.url,
  WORKER_CONCURRENCY: "2",
  // Any free port: another worker on this machine may hold the default.
  WORKER_METRICS_PORT: "0",
};
const api = launch("apps/api/src/main.ts", {
  ...common,
  PORT: String(port),
  MIGRATE_ON_START: "true",
});
let worker: ChildProcess | undefined;
const sql = postgres(database.url, { max: 2, onnotice: () => undefined });

try {
  await until(
    () =>
      fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      ),
    60_000,
  );
  worker = launch("apps/worker/src/main.ts", common);
  const register = await fetch(`${base}/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "bench@example.com", password: "correct horse battery staple" }),
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
      await fetch(`${base}/healthz`);
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
  await until(async () => {
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
    `  peak RSS:              api ${peakRssMb(api.pid).toFixed(0)} MB, worker ${peakRssMb(worker.pid).toFixed(0)} MB`,
  );
} finally {
  await sql.end();
  worker?.kill("SIGTERM");
  api.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await redis.destroy();
  await database.drop();
  await pg?.stop();
}
