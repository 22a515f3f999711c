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
});
