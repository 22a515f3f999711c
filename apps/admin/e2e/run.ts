// The console's browser suite: a live API on PostgreSQL with seeded data, driven through
// Debian's Chromium. Prints one line per scenario, the axe results, the budget figures, and
// `admin-e2e: N passed, N failed`. `--update-docs` writes the screenshots to docs/admin/.
import type { Browser } from "playwright-core";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import type { Env, Seed } from "./env";
import { launch, Recorder } from "./browser";
import { DIST, seed as seedData, startEnv } from "./env";
import { authScenarios, clockScenarios } from "./scenarios-auth";
import { opsScenarios } from "./scenarios-ops";

export interface Scenario {
  name: string;
  run(context: {
    env: Env;
    seed: Seed;
    browser: Browser;
    rec: Recorder;
    report: (line: string) => void;
  }): Promise<void>;
}

const root = fileURLToPath(new URL("../../../", import.meta.url));
const shots = process.argv.includes("--update-docs")
  ? path.join(root, "docs/admin")
  : path.join(root, "reports/admin-e2e");

const env = await startEnv();
let passed = 0;
let failed = 0;
const notes: string[] = [];
const rec = new Recorder(shots);
let browser: Browser | null = null;
try {
  const seed = await seedData(env);
  browser = await launch();
  for (const scenario of [...authScenarios, ...opsScenarios, ...clockScenarios]) {
    const started = Date.now();
    try {
      await scenario.run({ env, seed, browser, rec, report: (line) => notes.push(line) });
      passed++;
      console.log(`  ✓ ${scenario.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      console.log(
        `  ✗ ${scenario.name}\n      ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
} catch (error) {
  failed++;
  console.log(
    `  ✗ setup: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
} finally {
  await browser?.close();
  await env.close();
}

console.log("\naxe (WCAG 2.1 A/AA), violations per screen:");
for (const { screen, violations } of rec.axe) {
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const others = violations.map((v) => `${v.id}:${v.impact ?? "?"}`).join(", ");
  console.log(
    `  ${screen}: ${serious.length} serious/critical${others ? ` (all: ${others})` : ""}`,
  );
}
for (const note of notes) console.log(note);
const report = JSON.parse(readFileSync(path.join(DIST, "bundle-report.json"), "utf8")) as Record<
  string,
  { isEntry: boolean }
>;
for (const [file, chunk] of Object.entries(report)) {
  if (!chunk.isEntry) continue;
  const gzipped = gzipSync(readFileSync(path.join(DIST, file)), { level: 9 }).length;
  console.log(`main chunk ${(gzipped / 1024).toFixed(1)} KB gzipped (budget 250 KB)`);
}
console.log(`screenshots: ${path.relative(root, shots)}/`);
console.log(`admin-e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
