// `pnpm build`: bundles the worker with its workspace packages and pure-JS dependencies into
// dist/main.js, so the image runs `node dist/main.js` without tsx. Native and WebAssembly
// packages stay external (the worker never opens PGlite, but @runway/db imports it), resolved
// from this app's node_modules like the API's. Migrations are copied for @runway/db's lookup.
import { cpSync, rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: { main: "src/main.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  external: ["@node-rs/argon2", "@electric-sql/pglite", "@sentry/node", "msgpackr-extract"],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
cpSync("../../packages/db/migrations", "dist/migrations", { recursive: true });
console.log("built apps/worker/dist");
