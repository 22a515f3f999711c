import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { breakingChanges, changelog } from "./oasdiff";

/**
 * `pnpm openapi:compat`: the current /v1 document (packages/api/openapi.json, kept fresh by
 * `pnpm openapi:check`) against the released baseline; any breaking change fails.
 * `pnpm openapi:release [--accept-breaking]`: moves the baseline forward and prepends oasdiff's
 * changelog to docs/api-changelog.md.
 */
const root = (file: string) => fileURLToPath(new URL(`../../../${file}`, import.meta.url));
const BASELINE = root("packages/api/openapi.v1.baseline.json");
const CURRENT = root("packages/api/openapi.json");
const CHANGELOG = root("docs/api-changelog.md");
const CHANGELOG_HEADER = `# /v1 API changelog

Written by \`pnpm openapi:release\` from oasdiff's changelog between the released baseline
(packages/api/openapi.v1.baseline.json) and the document being released. Newest first.
`;

function compat(): number {
  const result = breakingChanges(BASELINE, CURRENT);
  console.log(result.output);
  if (!result.ok) {
    console.error(
      "\nopenapi:compat: the /v1 contract has breaking changes against the released baseline.\n" +
        "Apps in the field would break: keep the old shape (add, do not change or remove), or\n" +
        "deprecate with a sunset date first, or serve the new shape as /v2 (docs/api-versioning.md).",
    );
    return 1;
  }
  console.log("openapi:compat: no breaking changes against the released baseline");
  return 0;
}

function release(acceptBreaking: boolean): number {
  const check = breakingChanges(BASELINE, CURRENT);
  if (!check.ok && !acceptBreaking) {
    console.log(check.output);
    console.error(
      "\nopenapi:release: refusing to release breaking changes to /v1 (see above). " +
        "Pass --accept-breaking only for a change the versioning policy allows.",
    );
    return 1;
  }
  const changes = changelog(BASELINE, CURRENT);
  if (changes === "" || readFileSync(BASELINE, "utf8") === readFileSync(CURRENT, "utf8")) {
    console.log("openapi:release: the document equals the baseline; nothing to release");
    return 0;
  }
  console.log(changes);
  const document = JSON.parse(readFileSync(CURRENT, "utf8")) as { info?: { version?: string } };
  const date = new Date().toISOString().slice(0, 10);
  const note = acceptBreaking && !check.ok ? "\n\nReleased with --accept-breaking.\n" : "\n";
  const section = `## ${document.info?.version ?? "unversioned"} (${date})\n\n${changes}${note}`;
  // Earlier releases: everything from the first release heading on.
  const existing = existsSync(CHANGELOG) ? readFileSync(CHANGELOG, "utf8") : "";
  const first = existing.indexOf("\n## ");
  const previous = first === -1 ? "" : existing.slice(first + 1);
  writeFileSync(CHANGELOG, `${CHANGELOG_HEADER}\n${section}${previous ? `\n${previous}` : ""}`);
  copyFileSync(CURRENT, BASELINE);
  console.log(`openapi:release: baseline moved forward; changelog written to ${CHANGELOG}`);
  return 0;
}

const [command, ...flags] = process.argv.slice(2);
if (command === "compat") process.exitCode = compat();
else if (command === "release") process.exitCode = release(flags.includes("--accept-breaking"));
else {
  console.error("usage: cli.ts compat | release [--accept-breaking]");
  process.exitCode = 2;
}
