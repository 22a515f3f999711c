import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { differences, existingFiles } from "./drift";
import { generateClient } from "./generate";
import { parseDocument } from "./openapi";

/**
 * `pnpm codegen:android` writes the Kotlin client; `pnpm codegen:android:check` (`--check`)
 * writes nothing and fails when the committed sources differ from what the document gives.
 * Both list every construct generated with a fallback (`--strict` makes any of them fatal), and
 * `--date-time string` keeps `format: date-time` fields as strings instead of `Instant`.
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
    "date-time": { type: "string", default: "instant" },
    strict: { type: "boolean", default: false },
  },
});

const dateTime = values["date-time"];
if (dateTime !== "instant" && dateTime !== "string") {
  console.error(`--date-time must be "instant" or "string" (got "${dateTime}")`);
  process.exit(2);
}

const input = path.resolve(values.input);
const output = path.resolve(values.output);
const { files, warnings } = generateClient(parseDocument(readFileSync(input, "utf8")), {
  packageName: values.package,
  dateTime,
});
console.log(`${String(warnings.length)} generator warning(s)`);
for (const warning of warnings) console.warn(`  warning: ${warning}`);
if (values.strict && warnings.length > 0) {
  console.error("--strict: the document uses constructs the generator cannot express");
  process.exit(1);
}
const actual = existingFiles(output);
const problems = differences(files, actual);
const shown = path.relative(process.cwd(), output) || ".";

if (values.check) {
  if (problems.length > 0) {
    console.error(`${shown} is out of date with ${path.relative(process.cwd(), input)}:`);
    for (const problem of problems) console.error(`  ${problem}`);
    const rerun = process.argv
      .slice(2)
      .filter((arg) => arg !== "--check")
      .join(" ");
    console.error(
      `run \`pnpm codegen:android${rerun === "" ? "" : ` ${rerun}`}\` and commit the result`,
    );
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
