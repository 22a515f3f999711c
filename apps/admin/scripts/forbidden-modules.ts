import type { Plugin } from "vite";

/** Server code that must never reach the browser bundle (the router type is import-only). */
export const FORBIDDEN = [
  "drizzle-orm",
  "@node-rs/argon2",
  "@electric-sql/pglite",
  "winston",
  "express",
  "postgres",
  "ioredis",
  "bullmq",
  "@trpc/server/adapters",
  "packages/core/",
  "packages/db/",
  "packages/api/",
];

/**
 * Fails the build when a chunk contains a forbidden module, and records every chunk's modules
 * in dist/bundle-report.json for scripts/check-bundle.mjs.
 */
export function forbiddenModules(): Plugin {
  return {
    name: "runway-forbidden-modules",
    apply: "build",
    generateBundle(_options, bundle) {
      const report: Record<string, { isEntry: boolean; modules: string[] }> = {};
      const offenders: string[] = [];
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== "chunk") continue;
        report[chunk.fileName] = { isEntry: chunk.isEntry, modules: chunk.moduleIds };
        for (const id of chunk.moduleIds) {
          const hit = FORBIDDEN.find(
            (name) => id.includes(`/${name}`) || id.includes(`node_modules/${name}/`),
          );
          if (hit) offenders.push(`${chunk.fileName}: ${id} (${hit})`);
        }
      }
      if (offenders.length > 0) {
        this.error(`server code in the console bundle:\n${offenders.join("\n")}`);
      }
      this.emitFile({
        type: "asset",
        fileName: "bundle-report.json",
        source: JSON.stringify(report),
      });
    },
  };
}
