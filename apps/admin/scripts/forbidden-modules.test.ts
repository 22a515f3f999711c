import { describe, expect, it } from "vitest";

import { forbiddenModules } from "./forbidden-modules";

type Hook = (this: unknown, options: unknown, bundle: Record<string, unknown>) => void;

function runHook(moduleIds: string[]) {
  const errors: string[] = [];
  const emitted: string[] = [];
  const hook = forbiddenModules().generateBundle as Hook;
  hook.call(
    {
      error: (message: string) => {
        errors.push(message);
      },
      emitFile: (file: { fileName: string }) => {
        emitted.push(file.fileName);
      },
    },
    {},
    { "assets/index.js": { type: "chunk", fileName: "assets/index.js", isEntry: true, moduleIds } },
  );
  return { errors, emitted };
}

describe("the bundle's server-code guard", () => {
  it("passes a browser-only bundle and writes the module report", () => {
    const result = runHook([
      "/repo/node_modules/.pnpm/react@19/node_modules/react/index.js",
      "/repo/packages/contracts/src/auth.ts",
    ]);
    expect(result).toEqual({ errors: [], emitted: ["bundle-report.json"] });
  });

  it("fails on drizzle, argon2, pglite, winston, express or our server packages", () => {
    for (const id of [
      "/repo/node_modules/.pnpm/drizzle-orm@0.45/node_modules/drizzle-orm/index.js",
      "/repo/node_modules/@node-rs/argon2/index.js",
      "/repo/node_modules/@electric-sql/pglite/dist/index.js",
      "/repo/node_modules/.pnpm/winston@3/node_modules/winston/lib/winston.js",
      "/repo/node_modules/.pnpm/express@5/node_modules/express/index.js",
      "/repo/packages/core/src/users.ts",
    ]) {
      expect(runHook([id]).errors, id).toHaveLength(1);
    }
  });
});
