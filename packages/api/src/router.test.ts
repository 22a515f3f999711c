import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AuthConfig } from "@runway/config";
import type { DatabaseHandle } from "@runway/db";
import { loadConfig } from "@runway/config";
import { createCore, importJobHandlers, importJobStore } from "@runway/core";
import { createDatabase, migrationsFolder, verifyDatabase } from "@runway/db";
import { createMetrics, metricsHistory, MetricsWindow } from "@runway/observability";
import { createPostgresDispatcher } from "@runway/queue";

import { buildOpenApiDocument, listOperations, serializeOpenApiDocument } from "./openapi";
import { RateLimits } from "./rate-limits";
import { appRouter } from "./root";
import { createCallerFactory } from "./trpc";

const auth: AuthConfig = {
  jwtSecret: "k3J9vQ2mX8pL5rT1wZ6yB4nC7dF0gH2jK5mN8qR1tV4xY7zA",
  jwtSecretPrevious: null,
  issuer: "runway",
  audience: "runway-api",
  accessTokenTtl: 900,
  refreshIdleTtl: 3600,
  refreshAbsoluteTtl: 7200,
  refreshReuseInterval: 10,
  revocationSyncIntervalMs: 1000,
};

describe("procedures through createCaller", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createDatabase({ kind: "pglite", dataDir: null });
    await handle.migrate();
  });
  afterAll(async () => {
    await handle.close();
  });

  it("register, me, refresh, logout; admin procedures refuse a plain user", async () => {
    const core = createCore({
      db: handle.db,
      auth,
      piiHashKey: "Zq8Lr2Vx7Nc4Tb9Wm1Ks6Hd3Jf0Gp5Ya8Ue2Io7Pl4Qw9",
    });
    const queue = createPostgresDispatcher({
      store: importJobStore(core),
      policy: { attempts: 1, backoffMs: 10 },
      concurrency: 1,
      leaseMs: 1000,
      pollMs: 1000,
      ...importJobHandlers(core),
      onError: () => undefined,
    });
    const base = {
      core,
      queue,
      limits: new RateLimits(
        loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "rl-")) }).rateLimits,
        null,
      ),
      clientIp: "127.0.0.1",
      idempotencyKey: undefined,
      setHeader: () => undefined,
      setUserId: () => undefined,
      traffic: () => new MetricsWindow(createMetrics("api")).summary(),
      trafficHistory: (minutes: number) =>
        metricsHistory(new MetricsWindow(createMetrics("api")), minutes),
      verifyDatabase: () =>
        verifyDatabase(handle.db, {
          production: false,
          poolSize: 2,
          apiReplicas: 1,
          workerReplicas: 1,
          migrationsFolder: migrationsFolder(),
        }),
      reportError: () => undefined,
      recordMatchLookups: () => undefined,
      deprecatedCall: () => undefined,
    };
    const caller = createCallerFactory(appRouter);
    const anonymous = caller({ ...base, requestId: "t1", authorization: undefined });
    const { user, tokens } = await anonymous.auth.register({
      email: "caller@example.com",
      password: "correct horse battery staple",
    });
    const signedIn = caller({
      ...base,
      requestId: "t2",
      authorization: `Bearer ${tokens.accessToken}`,
    });
    expect((await signedIn.me.get()).user.id).toBe(user.id);
    await expect(signedIn.admin.users.list({ limit: 10 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(signedIn.admin.database.verify()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(anonymous.admin.database.verify()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    const { tokens: next } = await anonymous.auth.refresh({ refreshToken: tokens.refreshToken });
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    await anonymous.auth.logout({ refreshToken: next.refreshToken });
    await expect(signedIn.me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(anonymous.me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument();

  it("is the committed openapi.json", () => {
    const committed = readFileSync(new URL("../openapi.json", import.meta.url), "utf8");
    expect(serializeOpenApiDocument(document)).toBe(committed);
  });

  it("gives every operation an explicit operationId, its real success status and the error envelope", () => {
    const expected: Record<string, string> = {
      "post /auth/register": "201",
      "post /auth/login": "200",
      "post /auth/refresh": "200",
      "post /auth/logout": "204",
      "post /auth/logout-all": "204",
      "get /me": "200",
      "get /account": "200",
      "post /me/password": "204",
      "get /admin/users": "200",
      "put /admin/users/{userId}/roles": "200",
      "post /admin/users/{userId}/sessions/revoke": "204",
      "post /imports": "202",
      "get /imports": "200",
      "get /imports/{importId}": "200",
      "get /imports/{importId}/items": "200",
      "delete /imports/{importId}": "204",
      "get /admin/imports": "200",
      "get /admin/queue": "200",
      "get /admin/metrics": "200",
      "get /admin/dead-letters": "200",
      "post /admin/dead-letters/{deadLetterId}/retry": "202",
      "delete /admin/dead-letters/{deadLetterId}": "204",
      "post /admin/maintenance/cleanup": "200",
      "get /admin/users/{userId}": "200",
      "get /admin/imports/{importId}": "200",
      "get /admin/imports/{importId}/items": "200",
      "get /admin/metrics/history": "200",
      "get /admin/audit-events": "200",
      "get /admin/database": "200",
    };
    const operations = listOperations();
    expect(operations.map((op) => `${op.method} ${op.path}`).sort()).toEqual(
      Object.keys(expected).sort(),
    );
    const ids = new Set<string>();
    for (const op of operations) {
      const operation = (
        document.paths as Record<
          string,
          Record<string, { operationId: string; responses: Record<string, { content?: unknown }> }>
        >
      )[op.path]![op.method]!;
      expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      ids.add(operation.operationId);
      const statuses = Object.keys(operation.responses);
      const success = statuses.filter((s) => s.startsWith("2"));
      expect(success).toEqual([expected[`${op.method} ${op.path}`]]);
      if (success[0] === "204") expect(operation.responses["204"]!.content).toBeUndefined();
      for (const status of statuses.filter((s) => !s.startsWith("2"))) {
        expect(JSON.stringify(operation.responses[status])).toContain(
          "#/components/schemas/ErrorResponse",
        );
      }
    }
    expect(ids.size).toBe(operations.length);
  });

  it("documents public operations without security and protected ones with a bearer", () => {
    const paths = document.paths as Record<string, Record<string, { security?: unknown[] }>>;
    for (const path of ["/auth/register", "/auth/login", "/auth/refresh", "/auth/logout"]) {
      expect(paths[path]!.post!.security).toBeUndefined();
    }
    expect(paths["/me"]!.get!.security).toEqual([{ bearerAuth: [] }]);
    expect(paths["/admin/users"]!.get!.security).toEqual([{ bearerAuth: [] }]);
  });
});
