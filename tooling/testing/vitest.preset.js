import { fileURLToPath } from "node:url";

/**
 * Shared vitest settings: a JSON report for the CI summary and, for suites that need it, a
 * real PostgreSQL for the run. Plain JS: vitest loads config dependencies without a transpiler.
 * @param {{ postgres: boolean }} options
 * @returns {import("vitest/config").ViteUserConfig}
 */
export function vitestPreset(options) {
  return {
    test: {
      globalSetup: options.postgres
        ? [fileURLToPath(new URL("./src/global-setup.ts", import.meta.url))]
        : [],
      reporters: ["default", "json"],
      outputFile: { json: "test-results.json" },
      testTimeout: 30_000,
      hookTimeout: 60_000,
      pool: "forks",
    },
  };
}
