// `pnpm build`: bundles the API into dist/ (tooling/scripts/bundle-app.mjs says what stays
// external); swagger-ui-express serves its own assets, so it stays external too.
import { build } from "esbuild";

import { bundleApp } from "../../tooling/scripts/bundle-app.mjs";

await bundleApp(build, {
  app: "api",
  entryPoints: {
    main: "src/main.ts",
    "admin-create": "src/admin-create.ts",
    // The migration Job and compose's one-shot migrate run this, so no image needs tsx.
    migrate: "../../packages/db/src/migrate-cli.ts",
  },
  external: ["swagger-ui-express"],
  options: {
    // The bundle's source text stays in the heap for the process's life; without comments and
    // indentation it is less than half the size, and all ASCII, which V8 stores one byte a char
    // (a single non-ASCII comment made it two). Names are kept, so stack traces still read.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "external",
  },
});
