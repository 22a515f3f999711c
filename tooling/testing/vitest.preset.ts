import { fileURLToPath } from "node:url";

import type { ViteUserConfig } from "vitest/config";

/** Shared vitest settings: a real PostgreSQL per run and a JSON report for the CI summary. */
export const vitestPreset = {
  test: {
    globalSetup: [fileURLToPath(new URL("./src/global-setup.ts", import.meta.url))],
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
} satisfies ViteUserConfig;
