// `pnpm build`: bundles the API with its workspace packages and pure-JS dependencies into
// dist/. Native (argon2), WebAssembly (PGlite), asset-serving (swagger-ui) and
// self-instrumenting (Sentry, loaded only with SENTRY_DSN) packages stay external, resolved
// from this app's node_modules. Migrations are copied next to the bundle,
// where @runway/db looks for them first.
import { cpSync, rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: {
    main: "src/main.ts",
    "admin-create": "src/admin-create.ts",
    // The migration Job and compose's one-shot migrate run this, so no image needs tsx.
    migrate: "../../packages/db/src/migrate-cli.ts",
  },
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  // The bundle's source text stays in the heap for the process's life; without comments and
  // indentation it is less than half the size, and all ASCII, which V8 stores one byte a char
  // (a single non-ASCII comment made it two). Names are kept, so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "external",
  external: ["@node-rs/argon2", "@electric-sql/pglite", "swagger-ui-express", "@sentry/node"],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
cpSync("../../packages/db/migrations", "dist/migrations", { recursive: true });
console.log("built apps/api/dist");
