import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { loadConfig } from "@runway/config";
import { createLogger } from "@runway/observability";

import { http, TEST_PII_KEY, TEST_SECRET } from "../test/harness";
import { localAdminFile } from "./http/local-admin";
import { startServer } from "./server";

/** `pnpm admin:create` while `pnpm start` holds the embedded (one-process) database. */
describe("creating an admin through the running embedded server", () => {
  it("publishes a 0600 token in DATA_DIR, accepts only it, and removes it on stop", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "runway-embedded-"));
    const running = await startServer(
      loadConfig({
        HOST: "127.0.0.1",
        PORT: "0",
        DATA_DIR: dataDir,
        JWT_SECRET: TEST_SECRET,
        PII_HASH_KEY: TEST_PII_KEY,
        ADMIN_CONSOLE: "false",
      }),
      { logger: createLogger({ service: "api", silent: true }) },
    );
    const file = localAdminFile(dataDir);
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const { url, token } = JSON.parse(readFileSync(file, "utf8")) as {
        url: string;
        token: string;
      };
      expect(url).toBe(running.url);
      const body = { email: "First.Admin@example.com", password: "sunset-garnet-58-harbor" };
      const wrong = await http(url, "POST", "/internal/admin-create", {
        body,
        headers: { authorization: `Bearer ${token.slice(1)}x` },
      });
      expect(wrong.status).toBe(403);
      const res = await http(url, "POST", "/internal/admin-create", {
        body,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ created: true });
      const login = await http<{ user: { roles: string[] } }>(url, "POST", "/v1/auth/login", {
        body: { email: "first.admin@example.com", password: body.password },
      });
      expect(login.body.user.roles).toContain("admin");
    } finally {
      await running.stop();
    }
    expect(existsSync(file)).toBe(false);
  });
});
