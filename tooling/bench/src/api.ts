import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  benchmarkLimits,
  benchSecrets,
  imageNodeFlags,
  launchNode,
  repoRoot,
} from "@runway/test-harness";

export const METRICS_TOKEN = "bench-metrics-Jq7Lw2Xp9Rt4Vz6Nc8Hb3Kd5Mf1Gs0Ya";
export const secrets = { ...benchSecrets, METRICS_TOKEN };

/**
 * The API's production bundle as the benchmarks run it: the node flags of its image
 * (infra/docker/Dockerfile) and then `flags`, production mode, limits out of the way, its log
 * in the temp folder (returned).
 */
export function launchApi(options: {
  port: number;
  databaseUrl: string;
  redisUrl: string | null;
  flags?: string[];
}) {
  const log = path.join(tmpdir(), `runway-bench-api-${String(options.port)}.log`);
  const child = launchNode(
    [...imageNodeFlags("api"), ...(options.flags ?? []), "apps/api/dist/main.js"],
    {
      NODE_ENV: "production",
      ...secrets,
      PORT: String(options.port),
      DATABASE_URL: options.databaseUrl,
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      CORS_ORIGINS: "https://admin.example.com",
      REQUIRE_HTTPS: "false",
      MIGRATE_ON_START: "true",
      LOG_LEVEL: "info",
      ...benchmarkLimits,
      WORKER_METRICS_PORT: "0",
    },
    log,
  );
  return { child, log };
}

/** The value of a `--name=value` argument of this command, if given. */
export const option = (args: string[], name: string): string | undefined =>
  args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

/** The API's extra node/V8 flags from `--node-flags="..."`, after its image's. */
export const nodeFlagsOption = (args: string[]): string[] =>
  option(args, "node-flags")?.split(" ").filter(Boolean) ?? [];

/**
 * Builds the API's production bundle, unless `--skip-build` says to use the existing one. With
 * `--profile`, its source map keeps the mappings into node_modules too (tooling/scripts/
 * bundle-app.mjs), so that profile-top.ts can name every frame's package.
 */
export function buildApiUnlessSkipped(args: string[]): void {
  if (args.includes("--skip-build")) return;
  const profiling = option(args, "profile") !== undefined;
  execFileSync("pnpm", ["--filter", "@runway/api-server", "build"], {
    cwd: repoRoot,
    stdio: "ignore",
    env: { ...process.env, ...(profiling ? { RUNWAY_SOURCE_MAPS: "full" } : {}) },
  });
}
