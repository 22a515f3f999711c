// `pnpm build`: bundles the worker into dist/main.js (tooling/scripts/bundle-app.mjs says what
// stays external; the worker never opens PGlite, but @runway/db imports it). msgpackr-extract
// is the optional native addon of msgpackr (a BullMQ dependency).
import { build } from "esbuild";

import { bundleApp } from "../../tooling/scripts/bundle-app.mjs";

await bundleApp(build, {
  app: "worker",
  entryPoints: { main: "src/main.ts" },
  external: ["msgpackr-extract"],
});
