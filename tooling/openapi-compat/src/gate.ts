import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

import { breakingChanges, changelog } from "./oasdiff";

/** The released baseline, the document being served, and the changelog file. */
export interface ContractFiles {
  baseline: string;
  current: string;
  changelog: string;
}

const CHANGELOG_HEADER = `# /v1 API changelog

Written by \`pnpm openapi:release\` from oasdiff's changelog between the released baseline
(packages/api/openapi.v1.baseline.json) and the document being released. Newest first.
`;

/** The gate: 0 when `current` has no breaking change against `baseline`. */
export function compat(files: ContractFiles): number {
  const result = breakingChanges(files.baseline, files.current);
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

/** Moves the baseline forward; refuses breaking changes unless `acceptBreaking`. */
export function release(files: ContractFiles, acceptBreaking: boolean, now = new Date()): number {
  const check = breakingChanges(files.baseline, files.current);
  if (!check.ok && !acceptBreaking) {
    console.log(check.output);
    console.error(
      "\nopenapi:release: refusing to release breaking changes to /v1 (see above). " +
        "Pass --accept-breaking only for a change the versioning policy allows.",
    );
    return 1;
  }
  const changes = changelog(files.baseline, files.current);
  if (
    changes === "" ||
    readFileSync(files.baseline, "utf8") === readFileSync(files.current, "utf8")
  ) {
    console.log("openapi:release: the document equals the baseline; nothing to release");
    return 0;
  }
  console.log(changes);
  // oasdiff's own markdown, one heading level down so each release is a `##` section.
  const date = now.toISOString().slice(0, 10);
  const demoted = changes
    .split("\n")
    .map((line) => (line.startsWith("#") ? `#${line}` : line))
    .join("\n")
    .replace(/^## (.*)$/m, `## $1 (released ${date})`);
  const note = acceptBreaking && !check.ok ? "\n\nReleased with --accept-breaking.\n" : "\n";
  const section = `${demoted.trim()}${note}`;
  // Earlier releases: everything from the first release heading on.
  const existing = existsSync(files.changelog) ? readFileSync(files.changelog, "utf8") : "";
  const first = existing.indexOf("\n## ");
  const previous = first === -1 ? "" : existing.slice(first + 1);
  writeFileSync(
    files.changelog,
    `${CHANGELOG_HEADER}\n${section}${previous ? `\n${previous}` : ""}`,
  );
  copyFileSync(files.current, files.baseline);
  console.log(`openapi:release: baseline moved forward; changelog written to ${files.changelog}`);
  return 0;
}
