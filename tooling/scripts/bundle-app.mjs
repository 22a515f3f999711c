// What `pnpm build` of apps/api and apps/worker shares: the app with its workspace packages and
// pure-JS dependencies bundled into dist/, so images run `node dist/main.js` without tsx.
// Native (argon2), WebAssembly (PGlite) and self-instrumenting (Sentry, loaded only with
// SENTRY_DSN) packages stay external, resolved from the app's node_modules, as do the app's own
// `external` ones. Migrations are copied next to the bundle, where @runway/db looks first.
// Each app passes its own esbuild `build`: esbuild resolves from the app, not from here.
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

import { firstPartySourceMap } from "./source-map.mjs";

/**
 * @param {typeof import("esbuild").build} build
 * @param {{
 *   app: string;
 *   entryPoints: Record<string, string>;
 *   external: string[];
 *   options?: import("esbuild").BuildOptions;
 * }} bundle `options`: further esbuild options of this app's own
 */
export async function bundleApp(build, { app, entryPoints, external, options = {} }) {
  rmSync("dist", { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: "dist",
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    sourcemap: true,
    // The images run with --enable-source-maps, which keeps each map parsed in the heap for the
    // process's life: stack traces need only its mappings, not a copy of every source (8 MB of
    // the API's 12 MB map), and only those of our own code (source-map.mjs, below).
    sourcesContent: false,
    external: ["@node-rs/argon2", "@electric-sql/pglite", "@sentry/node", ...external],
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    ...options,
  });
  // RUNWAY_SOURCE_MAPS=full keeps every mapping, for profiles (`pnpm bench:http --profile`).
  if (process.env.RUNWAY_SOURCE_MAPS !== "full") {
    for (const file of readdirSync("dist").filter((name) => name.endsWith(".js.map"))) {
      const map = JSON.parse(readFileSync(`dist/${file}`, "utf8"));
      writeFileSync(`dist/${file}`, JSON.stringify(firstPartySourceMap(map)));
    }
  }
  cpSync("../../packages/db/migrations", "dist/migrations", { recursive: true });
  console.log(`built apps/${app}/dist`);
}
