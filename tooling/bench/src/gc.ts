import { readFileSync } from "node:fs";

import {
  createTestDatabase,
  freePort,
  startPostgres,
  stopProcess,
  waitFor,
} from "@runway/test-harness";

import { buildApiUnlessSkipped, launchApi, nodeFlagsOption, option as optionOf } from "./api";
import { paced } from "./paced";
import { scenarios } from "./scenarios";
import { seed } from "./seed";

/**
 * `pnpm bench:gc`: what each endpoint leaves to V8's old generation. The API's production
 * bundle runs with `--trace-gc-nvp`; each endpoint gets a steady 200 req/s (login 20, imports
 * 100) for a while, and the table shows, per request, what its young-generation collections
 * promoted, with their count and longest pause and the full collections meanwhile. A request
 * that finished should leave nothing: what survives young collections fills the old generation
 * and brings full collections, which the API's capped heap (infra/docker/Dockerfile) makes more
 * frequent. A benchmark: it asserts only that every endpoint answered 2xx.
 *
 *   --duration=SECONDS   per endpoint (default 8; CI uses --short, 2)
 *   --only=TEXT          only the endpoints whose name contains TEXT
 *   --skip-build         use the existing apps/api/dist
 *   --node-flags="..."   extra node/V8 flags for the API, after its image's (e.g.
 *                        "--allocation-site-pretenuring", what the image turns off)
 */
const args = process.argv.slice(2);
const short = args.includes("--short");
const option = (name: string) => optionOf(args, name);
const DURATION = Number(option("duration") ?? (short ? 2 : 8));
const only = option("only");
const nodeFlags = nodeFlagsOption(args);
const RATES: Record<string, number> = { "POST /v1/auth/login": 20, "POST /v1/imports": 100 };
const rateOf = (name: string) =>
  Object.entries(RATES).find(([prefix]) => name.startsWith(prefix))?.[1] ?? 200;

interface Collections {
  scavenges: number;
  promoted: number;
  longestScavengeMs: number;
  fullPausesMs: number[];
}

/** Sums the `--trace-gc-nvp` lines of one stretch of the API's log. */
function collections(log: string): Collections {
  const result: Collections = { scavenges: 0, promoted: 0, longestScavengeMs: 0, fullPausesMs: [] };
  for (const line of log.split("\n")) {
    const pause = Number(/ pause=([\d.]+) /.exec(line)?.[1] ?? 0);
    if (line.includes(" gc=s ")) {
      result.scavenges++;
      result.promoted += Number(/ promoted=(\d+) /.exec(line)?.[1] ?? 0);
      result.longestScavengeMs = Math.max(result.longestScavengeMs, pause);
    } else if (line.includes(" gc=mc ")) {
      result.fullPausesMs.push(pause);
    }
  }
  return result;
}

buildApiUnlessSkipped(args);
const givenDatabase = process.env.DATABASE_URL;
const pg = givenDatabase ? null : await startPostgres();
const database = await createTestDatabase(givenDatabase ?? pg?.url ?? "");
const port = await freePort();
const { child: api, log } = launchApi({
  port,
  databaseUrl: database.url,
  redisUrl: null,
  flags: ["--trace-gc-nvp", ...nodeFlags],
});
const base = `http://127.0.0.1:${String(port)}`;
const outcome = { passed: 0, failed: 0 };
try {
  await waitFor(async () => (await fetch(`${base}/readyz`)).ok, 60_000);
  const context = await seed(base);
  console.log(
    `\nWithout Redis: ${String(DURATION)} s per endpoint at a steady rate, 8 connections\n` +
      "| endpoint | req/s | requests | non-2xx | promoted KB/req | young collections | longest young pause ms | full collections (pause ms) |\n" +
      "|---|---|---|---|---|---|---|---|",
  );
  const chosen = scenarios.filter((s) => !only || s.name.includes(only));
  // Every endpoint warmed up before any is measured: the first endpoints after a start promote
  // what V8 keeps while it settles (code, type feedback, the heap's own growth), and charging
  // that to whichever endpoint comes first made it look 6-8 times worse than it is.
  for (const scenario of chosen) {
    const [first] = scenario.requests(context);
    if (first) await paced(base, rateOf(scenario.name), Math.min(2, DURATION), 8, first);
  }
  for (const scenario of chosen) {
    const [first] = scenario.requests(context);
    if (!first) continue;
    const rate = rateOf(scenario.name);
    const from = readFileSync(log, "utf8").length;
    const result = await paced(base, rate, DURATION, 8, first);
    const gc = collections(readFileSync(log, "utf8").slice(from));
    const bad = result.non2xx + result.errors;
    outcome[bad === 0 && result.requests.total > 0 ? "passed" : "failed"]++;
    const perRequest = gc.promoted / 1024 / Math.max(1, result.requests.total);
    const full = gc.fullPausesMs.map((ms) => ms.toFixed(1)).join(", ");
    console.log(
      `| ${scenario.name} | ${String(rate)} | ${String(result.requests.total)} | ${String(bad)} | ` +
        `${perRequest.toFixed(1)} | ${String(gc.scavenges)} | ${gc.longestScavengeMs.toFixed(1)} | ` +
        `${String(gc.fullPausesMs.length)}${full ? ` (${full})` : ""} |`,
    );
  }
} finally {
  await stopProcess(api);
  await database.drop().catch(() => undefined);
  await pg?.stop();
}
console.log(`\ngc: ${String(outcome.passed)} passed, ${String(outcome.failed)} failed`);
process.exitCode = outcome.failed === 0 ? 0 : 1;
