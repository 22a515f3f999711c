import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  benchSecrets,
  createTestDatabase,
  freePort,
  imageNodeFlags,
  launchNode,
  liftedRateLimits,
  repoRoot,
  startPostgres,
  startRedis,
  stopProcess,
  waitFor,
} from "@runway/test-harness";

export interface Stack {
  url: string;
  apiMetrics: string;
  workerMetrics: string;
  metricsToken: string;
  databaseUrl: string;
  api: ChildProcess;
  worker: ChildProcess;
  logs: string;
  stop(): Promise<void>;
}

/** Why waiting for a service is pointless: it exited (with the end of its log), or null. */
function exited(child: ChildProcess | undefined, log: string): string | null {
  if (child?.exitCode === null) return null;
  const tail = readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n");
  return `a service exited during start-up (${log}):\n${tail}`;
}

/**
 * The production shape on this machine: the API's production bundle and one worker (run with
 * tsx; it has no bundle) as separate processes on a throwaway PostgreSQL and Redis. Per-client
 * rate limits are lifted (the generator is one address); load shedding keeps its defaults.
 * Access tokens live 30 s so sessions refresh on expiry during a run.
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  execFileSync("pnpm", ["--filter", "@runway/api-server", "build"], {
    cwd: repoRoot,
    stdio: "ignore",
  });
  const pg = process.env.DATABASE_URL ? null : await startPostgres();
  const adminUrl = process.env.DATABASE_URL ?? pg?.url ?? "";
  const database = await createTestDatabase(adminUrl);
  const redis = await startRedis({ url: undefined });
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  const METRICS_TOKEN = randomBytes(32).toString("base64url");
  const logs = path.join(tmpdir(), `runway-load-${String(apiPort)}`);
  const common = {
    NODE_ENV: "production",
    ...benchSecrets,
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    CORS_ORIGINS: "https://admin.example.com",
    REQUIRE_HTTPS: "false",
    LOG_LEVEL: "warn",
    METRICS_TOKEN,
    ACCESS_TOKEN_TTL: "30",
    ...liftedRateLimits,
    ...env,
  };
  const api = launchNode(
    [...imageNodeFlags("api"), "apps/api/dist/main.js"],
    { ...common, PORT: String(apiPort), MIGRATE_ON_START: "true", WORKER_METRICS_PORT: "0" },
    `${logs}-api.log`,
  );
  const url = `http://127.0.0.1:${String(apiPort)}`;
  let worker: ChildProcess | undefined;
  const stop = async () => {
    await Promise.all([stopProcess(api), stopProcess(worker)]);
    await database.drop().catch(() => undefined);
    await redis.destroy();
    await pg?.stop();
  };
  try {
    await waitFor(
      async () => (await fetch(`${url}/readyz`)).ok,
      90_000,
      () => exited(api, `${logs}-api.log`),
    );
    worker = launchNode(
      ["--import", "tsx", "apps/worker/src/main.ts"],
      { ...common, WORKER_METRICS_PORT: String(workerPort) },
      `${logs}-worker.log`,
    );
    const workerMetrics = `http://127.0.0.1:${String(workerPort)}/metrics`;
    await waitFor(
      async () =>
        (await fetch(workerMetrics, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).ok,
      90_000,
      () => exited(worker, `${logs}-worker.log`),
    );
    return {
      url,
      apiMetrics: `${url}/metrics`,
      workerMetrics,
      metricsToken: METRICS_TOKEN,
      databaseUrl: database.url,
      api,
      worker,
      logs,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
