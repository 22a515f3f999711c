import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { http, startTestServer } from "../test/harness";

/** Serving of the console's build at /admin (the real build is exercised by the e2e suite). */
function fakeBuild(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "runway-admin-"));
  mkdirSync(path.join(dir, "assets"));
  writeFileSync(
    path.join(dir, "index.html"),
    '<!doctype html><script type="module" src="/admin/assets/index-abc123.js"></script>',
  );
  writeFileSync(path.join(dir, "assets", "index-abc123.js"), "export {};");
  return dir;
}

describe("the admin console at /admin", () => {
  it("serves index.html uncached under a strict CSP, hashed assets for a year, deep links too", async () => {
    const server = await startTestServer({ ADMIN_CONSOLE_DIR: fakeBuild() });
    try {
      for (const route of ["/admin", "/admin/", "/admin/users?query=a"]) {
        const page = await http(server.url, "GET", route);
        expect(page.status, route).toBe(200);
        expect(page.headers.get("content-type")).toMatch(/text\/html/);
        expect(page.headers.get("cache-control")).toBe("no-cache");
        const csp = page.headers.get("content-security-policy") ?? "";
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("connect-src 'self'");
        expect(csp).not.toContain("unsafe-inline");
        expect(page.headers.get("x-request-id")).toBeTruthy();
      }
      const asset = await http(server.url, "GET", "/admin/assets/index-abc123.js");
      expect(asset.status).toBe(200);
      expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const missing = await http(server.url, "GET", "/admin/assets/nope.js");
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ code: "NOT_FOUND" });
    } finally {
      await server.close();
    }
  });

  it("is off with ADMIN_CONSOLE=false", async () => {
    const server = await startTestServer({
      ADMIN_CONSOLE: "false",
      ADMIN_CONSOLE_DIR: fakeBuild(),
    });
    try {
      const page = await http(server.url, "GET", "/admin/");
      expect(page.status).toBe(404);
      expect(page.body).toMatchObject({ code: "NOT_FOUND" });
    } finally {
      await server.close();
    }
  });
});
