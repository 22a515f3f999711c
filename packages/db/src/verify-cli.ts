import { parseArgs } from "node:util";

import { ConfigError, loadConfig } from "@runway/config";

import { createDatabase, migrationsFolder } from "./client";
import { formatReport, verifyDatabase } from "./verify";

/**
 * `pnpm db:verify [--json] [--production] [--pool-size N] [--api-replicas N]
 * [--worker-replicas N]`: checks DATABASE_URL before launch and on a schedule. Flags override
 * NODE_ENV, DATABASE_POOL_SIZE, API_REPLICAS and WORKER_REPLICAS. Exit 0 when nothing fails
 * (warnings allowed), 1 when a check fails, 2 on bad usage.
 */
const positive = (flag: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${flag} must be a positive integer`);
    process.exit(2);
  }
  return n;
};

try {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      production: { type: "boolean" },
      "pool-size": { type: "string" },
      "api-replicas": { type: "string" },
      "worker-replicas": { type: "string" },
    },
  });
  const config = loadConfig();
  if (config.database.kind !== "postgres") {
    console.error("DATABASE_URL is required: db:verify checks a PostgreSQL database");
    process.exit(2);
  }
  const capacity = config.databaseCapacity;
  const handle = await createDatabase({ ...config.database, poolSize: 1 });
  try {
    const report = await verifyDatabase(handle.db, {
      production: values.production ?? config.isProduction,
      poolSize: positive("pool-size", values["pool-size"], capacity.poolSize),
      apiReplicas: positive("api-replicas", values["api-replicas"], capacity.apiReplicas),
      workerReplicas: positive(
        "worker-replicas",
        values["worker-replicas"],
        capacity.workerReplicas,
      ),
      migrationsFolder: migrationsFolder(),
    });
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    process.exitCode = report.status === "fail" ? 1 : 0;
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(
    error instanceof ConfigError
      ? `Configuration error: ${error.message}`
      : `db:verify: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 2;
}
