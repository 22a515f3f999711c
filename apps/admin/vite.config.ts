import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

import { forbiddenModules } from "./scripts/forbidden-modules.ts";

/** The API `pnpm dev` proxies to; override with RUNWAY_API_URL. */
// eslint-disable-next-line no-restricted-properties -- build tooling, not the app
const api = process.env.RUNWAY_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  base: "/admin/",
  plugins: [react(), forbiddenModules()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: { "/trpc": { target: api, changeOrigin: false } },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // No inline <script> or data: modules, so the strict CSP holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // One entry chunk by design; the budget (250 KB gzipped) is checked by check-bundle.mjs.
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}", "scripts/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
  },
});
