import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = (file: string) => fileURLToPath(new URL(`../${file}`, import.meta.url));

/**
 * Response enums may grow: every generated Kotlin enum decodes an unknown value to its fallback
 * entry, so oasdiff's `response-property-enum-value-added` is information here, not an error.
 * (oasdiff's severity file takes no comments, so the reason lives here.)
 */
const SEVERITY_LEVELS = here("severity-levels.txt");

/**
 * A deprecation must give apps at least this long before the operation may go: the support
 * window of docs/api-versioning.md. oasdiff fails a sunset date closer than this.
 */
export const DEPRECATION_DAYS = 180;

let cachedBinary: string | undefined;

/** The oasdiff binary, installed on first use by install-oasdiff.sh (Go module proxy). */
export function oasdiffBinary(): string {
  if (cachedBinary) return cachedBinary;
  const result = spawnSync("bash", [here("install-oasdiff.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const path = result.stdout.trim();
  if (result.status !== 0 || path === "") throw new Error("could not install oasdiff");
  cachedBinary = path;
  return path;
}

export interface OasdiffResult {
  /** oasdiff's exit status was 0. */
  ok: boolean;
  /** oasdiff's own report, as it printed it. */
  output: string;
}

function oasdiff(args: string[]): OasdiffResult {
  const result = spawnSync(oasdiffBinary(), args, { encoding: "utf8" });
  if (result.error) throw result.error;
  const output = `${result.stdout}${result.stderr}`.trim();
  // 1 is oasdiff's "changes at the --fail-on level"; anything else is a usage or load error.
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`oasdiff ${args[0] ?? ""} exited ${String(result.status)}: ${output}`);
  }
  return { ok: result.status === 0, output };
}

const COMMON = [
  "--allow-external-refs=false",
  "--severity-levels",
  SEVERITY_LEVELS,
  "--deprecation-days-stable",
  String(DEPRECATION_DAYS),
];

/** Breaking changes from `base` to `revision`: fails on oasdiff's error level. */
export function breakingChanges(base: string, revision: string): OasdiffResult {
  return oasdiff(["breaking", base, revision, "--fail-on", "ERR", "--color", "never", ...COMMON]);
}

/** Every change from `base` to `revision`, as oasdiff's markdown changelog. */
export function changelog(base: string, revision: string): string {
  return oasdiff(["changelog", base, revision, "--format", "markdown", ...COMMON]).output;
}
