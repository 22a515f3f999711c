// `pnpm build`: bundles the API with its workspace packages and pure-JS dependencies into
// dist/. Native (argon2), WebAssembly (PGlite) and asset-serving (swagger-ui) packages stay
// external, resolved from this app's node_modules. Migrations are copied next to the bundle,
// where @runway/db looks for them first.
import { cpSync, rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: { main: "src/main.ts", "admin-create": "src/admin-create.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  external: ["@node-rs/argon2", "@electric-sql/pglite", "swagger-ui-express"],
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
});
cpSync("../../packages/db/migrations", "dist/migrations", { recursive: true });
console.log("built apps/api/dist");
