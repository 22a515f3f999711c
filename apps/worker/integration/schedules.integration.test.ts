import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import type { RedisServer } from "@runway/test-harness";
import { runMigrations } from "@runway/db";
import { benchSecrets, createTestDatabase, startRedis } from "@runway/test-harness";

import type { WorkerProcess } from "./helpers";
import { startWorkerProcess, waitFor } from "./helpers";

/**
 * Two worker replicas on one Redis: the sweeper and the maintenance cleanup are BullMQ job
 * schedulers, so each interval's run happens once, in one replica, never in both.
 */
const SWEEP_MS = 500;
const MAINTENANCE_MS = 1000;

let redis: RedisServer;
let database: { url: string; drop(): Promise<void> };
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  database = await createTestDatabase(inject("postgresAdminUrl"));
  await runMigrations(database.url);
  for (let i = 0; i < 2; i++) {
    workers.push(
      startWorkerProcess({
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        ...benchSecrets,
        LOG_LEVEL: "debug",
        SWEEP_INTERVAL_MS: String(SWEEP_MS),
        MAINTENANCE_INTERVAL_MS: String(MAINTENANCE_MS),
      }),
    );
  }
  for (const worker of workers)
    await waitFor("both workers to start", () =>
      Promise.resolve(worker.logs.some((line) => line.includes('"worker started"'))),
    );
}, 60_000);

afterAll(async () => {
  for (const worker of workers) await worker.kill("SIGTERM");
  await redis.destroy();
  await database.drop();
});

/** Each process's "scheduled run" lines for `task`, as the times their runs were due. */
function slots(task: string): number[] {
  const byProcess = workers.map((worker) =>
    worker.logs
      .filter((line) => line.includes('"scheduled run"'))
      .map((line) => JSON.parse(line) as { task: string; slot: string })
      .filter((run) => run.task === task)
      .map((run) => Date.parse(run.slot)),
  );
  return byProcess.flat().sort((a, b) => a - b);
}

describe("scheduled work with two worker replicas", () => {
  it.each([
    ["sweep-imports", SWEEP_MS, 8],
    ["maintenance-cleanup", MAINTENANCE_MS, 4],
  ])("%s runs once per interval across both", async (task, everyMs, runs) => {
    await expect.poll(() => slots(task).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(runs);
    const all = slots(task);
    // Runs due less than an interval apart would be one interval run twice (by both replicas).
    const gaps = all.slice(1).map((slot, i) => slot - all[i]!);
    expect(gaps.filter((gap) => gap < everyMs)).toEqual([]);
  });
});
