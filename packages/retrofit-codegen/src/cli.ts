import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import type { GeneratedFile } from "./generate";
import { generate } from "./generate";
import { parseDocument } from "./openapi";

/**
 * `pnpm codegen:android` writes the Kotlin client; `pnpm codegen:android:check` (`--check`)
 * writes nothing and fails when the committed sources differ from what the document gives.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));
const { values } = parseArgs({
  options: {
    check: { type: "boolean", default: false },
    input: { type: "string", default: path.join(root, "packages/api/openapi.json") },
    output: {
      type: "string",
      default: path.join(root, "clients/android/generated/src/main/kotlin"),
    },
    package: { type: "string", default: "dev.runway.client" },
  },
});

/** Every .kt file under the package directory: the generator owns that tree. */
function existingFiles(output: string, packageDir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    let entries;
    try {
      entries = readdirSync(path.join(output, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith(".kt"))
        files.set(child, readFileSync(path.join(output, child), "utf8"));
    }
  };
  walk(packageDir);
  return files;
}

function differences(expected: GeneratedFile[], actual: Map<string, string>): string[] {
  const problems: string[] = [];
  const wanted = new Set(expected.map((file) => file.path));
  for (const file of expected) {
    const current = actual.get(file.path);
    if (current === undefined) problems.push(`missing  ${file.path}`);
    else if (current !== file.content) problems.push(`stale    ${file.path}`);
  }
  for (const file of [...actual.keys()].sort()) {
    if (!wanted.has(file)) problems.push(`extra    ${file}`);
  }
  return problems;
}

const input = path.resolve(values.input);
const output = path.resolve(values.output);
const files = generate(parseDocument(readFileSync(input, "utf8")), { packageName: values.package });
const packageDir = values.package.replaceAll(".", "/");
const actual = existingFiles(output, packageDir);
const problems = differences(files, actual);
const shown = path.relative(process.cwd(), output) || ".";

if (values.check) {
  if (problems.length > 0) {
    console.error(`${shown} is out of date with ${path.relative(process.cwd(), input)}:`);
    for (const problem of problems) console.error(`  ${problem}`);
    console.error("run `pnpm codegen:android` and commit the result");
    process.exitCode = 1;
  } else {
    console.log(`${shown}: ${files.length} Kotlin files match the OpenAPI document`);
  }
} else {
  const wanted = new Set(files.map((file) => file.path));
  for (const file of actual.keys()) {
    if (!wanted.has(file)) rmSync(path.join(output, file));
  }
  for (const file of files) {
    if (actual.get(file.path) === file.content) continue;
    mkdirSync(path.dirname(path.join(output, file.path)), { recursive: true });
    writeFileSync(path.join(output, file.path), file.content);
  }
  console.log(`${shown}: ${files.length} Kotlin files, ${problems.length} changed`);
}
