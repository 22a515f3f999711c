import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { serializeOpenApiDocument } from "./openapi";

/** `pnpm openapi:generate` writes openapi.json; `pnpm openapi:check` fails when it is stale. */
const file = fileURLToPath(new URL("../openapi.json", import.meta.url));
const generated = serializeOpenApiDocument();

if (process.argv[2] === "write") {
  writeFileSync(file, generated);
  console.log(`wrote ${file}`);
} else {
  let committed = "";
  try {
    committed = readFileSync(file, "utf8");
  } catch {
    // Missing counts as stale.
  }
  if (committed !== generated) {
    console.error(
      "openapi.json is out of date with the router: run `pnpm openapi:generate` and commit it",
    );
    process.exitCode = 1;
  } else {
    console.log("openapi.json is up to date");
  }
}
