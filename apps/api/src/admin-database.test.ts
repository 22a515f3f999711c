import postgres from "postgres";
import { describe, expect, it } from "vitest";

import { DatabaseReportSchema } from "@runway/contracts";

import {
  adminTokens,
  http,
  newUser,
  TEST_PII_KEY,
  TEST_SECRET,
  useTestServer,
} from "../test/harness";

const API_REPLICAS = "3";

describe("GET /v1/admin/database", () => {
  const t = useTestServer({ API_REPLICAS, WORKER_REPLICAS: "2", DATABASE_POOL_SIZE: "7" });

  it("-> 200 the db:verify checks for an admin, without secrets; the same over tRPC", async () => {
    const base = t.base;
    const admin = await adminTokens(base);
    const res = await http(base, "GET", "/v1/admin/database", { token: admin.accessToken });
    expect(res.status).toBe(200);
    const report = DatabaseReportSchema.parse(res.body);
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(byName.connection?.status).toBe("pass");
    expect(byName.migrations?.status).toBe("pass");
    expect(byName.schema?.status).toBe("pass");
    expect(byName["write/read/rollback"]?.status).toBe("pass");
    // The test server connects as a superuser with no timeouts: both reported, so status fail.
    expect(byName["application role"]).toMatchObject({ status: "fail" });
    expect(byName.timeouts).toMatchObject({ status: "fail" });
    expect(report.status).toBe("fail");
    // Pools and replicas come from the API's own configuration.
    expect(byName["max connections"]?.reason).toMatch(
      /^pool 7 x \(3 api \+ 2 worker\) \+ 5 headroom = 40 <=/,
    );
    const url = new URL(t.server.databaseUrl);
    for (const secret of [t.server.databaseUrl, url.host, TEST_SECRET, TEST_PII_KEY])
      expect(res.text).not.toContain(secret);

    const trpc = await http(base, "GET", "/trpc/admin.database.verify", {
      token: admin.accessToken,
    });
    expect(trpc.status).toBe(200);
    const viaTrpc = DatabaseReportSchema.parse(
      (trpc.body as { result: { data: unknown } }).result.data,
    );
    expect(viaTrpc.checks.map((c) => c.name)).toEqual(report.checks.map((c) => c.name));
  });

  it("reports a failing check in the body, not as an error", async () => {
    const base = t.base;
    const admin = await adminTokens(base);
    const sql = postgres(t.server.databaseUrl, { max: 1, onnotice: () => undefined });
    try {
      await sql`drop index imports_created_idx`;
      const res = await http(base, "GET", "/v1/admin/database", { token: admin.accessToken });
      expect(res.status).toBe(200);
      const report = DatabaseReportSchema.parse(res.body);
      expect(report.checks.find((c) => c.name === "schema")).toEqual({
        name: "schema",
        status: "fail",
        reason: "missing index imports_created_idx",
      });
    } finally {
      await sql`create index if not exists imports_created_idx on imports (created_at desc nulls first, id desc nulls first)`;
      await sql.end();
    }
  });

  it("-> 401 without a token, 403 for a plain user", async () => {
    const base = t.base;
    expect((await http(base, "GET", "/v1/admin/database")).status).toBe(401);
    const user = await newUser(base);
    const res = await http(base, "GET", "/v1/admin/database", { token: user.tokens.accessToken });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: "FORBIDDEN" });
  });
});
