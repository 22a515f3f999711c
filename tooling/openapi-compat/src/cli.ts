import { fileURLToPath } from "node:url";

import { compat, release } from "./gate";

/**
 * `pnpm openapi:compat`: the current /v1 document (packages/api/openapi.json, kept fresh by
 * `pnpm openapi:check`) against the released baseline; any breaking change fails.
 * `pnpm openapi:release [--accept-breaking]`: moves the baseline forward and prepends oasdiff's
 * changelog to docs/api-changelog.md.
 */
const root = (file: string) => fileURLToPath(new URL(`../../../${file}`, import.meta.url));
const files = {
  baseline: root("packages/api/openapi.v1.baseline.json"),
  current: root("packages/api/openapi.json"),
  changelog: root("docs/api-changelog.md"),
};

const [command, ...flags] = process.argv.slice(2);
if (command === "compat") process.exitCode = compat(files);
else if (command === "release")
  process.exitCode = release(files, flags.includes("--accept-breaking"));
else {
  console.error("usage: cli.ts compat | release [--accept-breaking]");
  process.exitCode = 2;
}
