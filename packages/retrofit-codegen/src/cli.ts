import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { differences, existingFiles } from "./drift";
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

const input = path.resolve(values.input);
const output = path.resolve(values.output);
const files = generate(parseDocument(readFileSync(input, "utf8")), { packageName: values.package });
const actual = existingFiles(output);
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
