import { defineConfig } from "vitest/config";

// Not part of `pnpm test` (no `test` script): .ci/run runs it as its own suite, after oasdiff
// is installed, and reads this report for the suite line.
export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: "gate-results.json" },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
