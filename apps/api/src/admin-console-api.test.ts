import { describe, expect, it, vi } from "vitest";

import {
  AdminImportDetailSchema,
  AdminUserDetailSchema,
  AuditEventPageSchema,
  ErrorResponseSchema,
  ImportItemPageSchema,
  ImportResponseSchema,
  MetricsHistorySchema,
} from "@runway/contracts";

import { adminTokens, newUser, useTestServer } from "../test/harness";

/** The admin procedures the console adds: audit log, metrics history, user and import detail. */
const suite = useTestServer({ METRICS_SAMPLE_INTERVAL_MS: "500" });

describe("GET /v1/admin/audit-events", () => {
  it("pages newest first, filters by type and user, and matches /trpc", async () => {
    const admin = await adminTokens(suite.base);
    const target = await newUser(suite.base);
    for (const roles of [["user", "admin"], ["user"], ["user", "admin"], ["user"]]) {
      const res = await suite.call("PUT", `/v1/admin/users/${target.id}/roles`, {
        token: admin.accessToken,
        body: { roles },
      });
      expect(res.status).toBe(200);
    }
    const query = `type=admin.roles_changed&userId=${target.id}&limit=3`;
    const first = await suite.call("GET", `/v1/admin/audit-events?${query}`, {
      token: admin.accessToken,
    });
    expect(first.status).toBe(200);
    const page = AuditEventPageSchema.parse(first.body);
    expect(page.items).toHaveLength(3);
    expect(page.items.map((e) => e.details.after)).toEqual(["user", "admin,user", "user"]);
    expect(page.items.every((e) => e.userId === target.id)).toBe(true);
    const ids = page.items.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(page.nextCursor).not.toBeNull();

    const rest = AuditEventPageSchema.parse(
      (
        await suite.call("GET", `/v1/admin/audit-events?${query}&cursor=${page.nextCursor ?? ""}`, {
          token: admin.accessToken,
        })
      ).body,
    );
    expect(rest.items.map((e) => e.details.after)).toEqual(["admin,user"]);
    expect(rest.nextCursor).toBeNull();

    const input = encodeURIComponent(
      JSON.stringify({ type: "admin.roles_changed", userId: target.id, limit: 3 }),
    );
    const trpc = await suite.call("GET", `/trpc/admin.auditEvents.list?input=${input}`, {
      token: admin.accessToken,
    });
    expect((trpc.body as { result: { data: unknown } }).result.data).toEqual(page);
  });

  it("refuses an unknown type or a malformed cursor with 400", async () => {
    const admin = await adminTokens(suite.base);
    for (const query of ["type=auth.unknown", "cursor=abc", "userId=not-a-uuid"]) {
      const res = await suite.call("GET", `/v1/admin/audit-events?${query}`, {
        token: admin.accessToken,
      });
      expect(res.status, query).toBe(400);
      expect(ErrorResponseSchema.parse(res.body).code).toBe("VALIDATION_FAILED");
    }
  });
});

describe("GET /v1/admin/metrics/history", () => {
  it("returns points of the recent traffic and sampled queue figures, oldest first", async () => {
    const admin = await adminTokens(suite.base);
    for (let i = 0; i < 5; i++) await suite.call("GET", "/v1/me", { token: admin.accessToken });
    // The gauges are sampled every 500 ms: wait for a sample rather than for a fixed time.
    await vi.waitFor(
      async () => {
        const res = await suite.call("GET", "/v1/admin/metrics/history?minutes=15", {
          token: admin.accessToken,
        });
        expect(res.status).toBe(200);
        const history = MetricsHistorySchema.parse(res.body);
        expect(history.stepSeconds).toBe(5);
        expect(history.points.length).toBeGreaterThanOrEqual(1);
        const times = history.points.map((p) => Date.parse(p.at));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(history.points.reduce((sum, p) => sum + p.requests, 0)).toBeGreaterThanOrEqual(5);
        expect(history.points.some((p) => p.queueDepth === 0 && p.deadLetters === 0)).toBe(true);
      },
      { timeout: 10_000, interval: 100 },
    );
  });

  it("refuses minutes outside 5-60", async () => {
    const admin = await adminTokens(suite.base);
    for (const minutes of ["4", "61", "x"]) {
      const res = await suite.call("GET", `/v1/admin/metrics/history?minutes=${minutes}`, {
        token: admin.accessToken,
      });
      expect(res.status).toBe(400);
    }
  });
});

describe("user and import detail", () => {
  it("GET /v1/admin/users/{userId}: roles and live sessions; revoked ones disappear", async () => {
    const admin = await adminTokens(suite.base);
    const user = await newUser(suite.base);
    const detail = AdminUserDetailSchema.parse(
      (await suite.call("GET", `/v1/admin/users/${user.id}`, { token: admin.accessToken })).body,
    );
    expect(detail.user.roles).toEqual(["user"]);
    expect(detail.sessions).toHaveLength(1);
    await suite.call("POST", `/v1/admin/users/${user.id}/sessions/revoke`, {
      token: admin.accessToken,
    });
    const after = AdminUserDetailSchema.parse(
      (await suite.call("GET", `/v1/admin/users/${user.id}`, { token: admin.accessToken })).body,
    );
    expect(after.sessions).toHaveLength(0);
    const missing = await suite.call(
      "GET",
      "/v1/admin/users/00000000-0000-4000-8000-000000000000",
      { token: admin.accessToken },
    );
    expect(missing.status).toBe(404);
  });

  it("GET /v1/admin/imports/{id} and /items: any user's import, request id, masked items only", async () => {
    const admin = await adminTokens(suite.base);
    const user = await newUser(suite.base);
    const created = await suite.call("POST", "/v1/imports", {
      token: user.tokens.accessToken,
      headers: { "idempotency-key": "admin-view-1", "x-request-id": "req-admin-view-1" },
      body: {
        source: "android-contacts",
        items: [{ email: "Secret.Person@example.com", name: "Secret Person" }],
      },
    });
    expect(created.status).toBe(202);
    const importId = ImportResponseSchema.parse(created.body).import.id;
    const detail = AdminImportDetailSchema.parse(
      (await suite.call("GET", `/v1/admin/imports/${importId}`, { token: admin.accessToken })).body,
    );
    expect(detail.import).toMatchObject({
      id: importId,
      userId: user.id,
      requestId: "req-admin-view-1",
    });
    const items = await suite.call("GET", `/v1/admin/imports/${importId}/items`, {
      token: admin.accessToken,
    });
    const page = ImportItemPageSchema.parse(items.body);
    expect(page.items[0]?.emailMasked).toBe("s***@example.com");
    expect(items.text.toLowerCase()).not.toContain("secret.person");
    expect(items.text).not.toContain("Secret Person");
    const asUser = await suite.call("GET", `/v1/admin/imports/${importId}`, {
      token: user.tokens.accessToken,
    });
    expect(asUser.status).toBe(403);
  });
});
