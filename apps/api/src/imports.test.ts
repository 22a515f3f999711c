import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  AdminImportPageSchema,
  CleanupResultSchema,
  ErrorResponseSchema,
  ImportItemPageSchema,
  ImportPageSchema,
  ImportResponseSchema,
  QueueStatsSchema,
} from "@runway/contracts";

import type { TestServer } from "../test/harness";
import { adminTokens, http, newUser, startTestServer, waitForCompletion } from "../test/harness";

/**
 * /v1/imports on the embedded dispatcher (no Redis): processing runs inside the API through
 * PostgreSQL. The worker-process pipeline is covered by apps/worker's integration suite.
 */
let server: TestServer;
let base: string;
let sql: postgres.Sql;

beforeAll(async () => {
  server = await startTestServer();
  base = server.url;
  sql = postgres(server.databaseUrl, { max: 2, onnotice: () => undefined });
});
afterAll(async () => {
  await sql.end();
  await server.close();
});

const body = (n = 3) => ({
  source: "android-contacts",
  defaultRegion: "KR",
  items: Array.from({ length: n }, (_, i) => ({
    email: `friend${i}@example.com`,
    phone: `010-5555-${String(1000 + i)}`,
  })),
});

async function create(token: string, key: string | undefined, payload: unknown = body()) {
  return http(base, "POST", "/v1/imports", {
    token,
    body: payload,
    headers: key === undefined ? {} : { "idempotency-key": key },
  });
}

const completed = (token: string, id: string) => waitForCompletion(base, token, id);

describe("Idempotency-Key", () => {
  it("is required and bounded", async () => {
    const user = await newUser(base);
    const missing = await create(user.tokens.accessToken, undefined);
    expect(missing.status).toBe(400);
    expect(ErrorResponseSchema.parse(missing.body).code).toBe("IDEMPOTENCY_KEY_MISSING");
    const long = await create(user.tokens.accessToken, "k".repeat(256));
    expect(ErrorResponseSchema.parse(long.body).code).toBe("IDEMPOTENCY_KEY_INVALID");
    expect((await create(user.tokens.accessToken, "k".repeat(255))).status).toBe(202);
  });

  it("N parallel requests with one key create one import", async () => {
    const user = await newUser(base);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => create(user.tokens.accessToken, "race")),
    );
    const ids = new Set(
      results
        .filter((r) => r.status === 202)
        .map((r) => ImportResponseSchema.parse(r.body).import.id),
    );
    expect(ids.size).toBe(1);
    for (const r of results) expect([202, 409]).toContain(r.status);
    const [row] = await sql<
      { n: number }[]
    >`select count(*)::int as n from imports where user_id = ${user.id}`;
    expect(row?.n).toBe(1);
  });

  it("answers 409 while the first request is in flight", async () => {
    const user = await newUser(base);
    expect((await create(user.tokens.accessToken, "busy")).status).toBe(202);
    // Put the key back in the state it has while its first request is still running.
    await sql`update idempotency_keys set response_status = null, response_body = null,
      locked_until = now() + interval '1 minute' where user_id = ${user.id} and key = 'busy'`;
    const res = await create(user.tokens.accessToken, "busy");
    expect(res.status).toBe(409);
    expect(ErrorResponseSchema.parse(res.body).code).toBe("IDEMPOTENCY_REQUEST_IN_PROGRESS");
  });

  it("replays after completion with the original status and body, is per user, and expires", async () => {
    const a = await newUser(base);
    const b = await newUser(base);
    const first = await create(a.tokens.accessToken, "shared");
    const id = ImportResponseSchema.parse(first.body).import.id;
    await completed(a.tokens.accessToken, id);
    const replay = await create(a.tokens.accessToken, "shared");
    expect(replay.status).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);

    const other = await create(b.tokens.accessToken, "shared");
    expect(other.status).toBe(202);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect(ImportResponseSchema.parse(other.body).import.id).not.toBe(id);

    await sql`update idempotency_keys set expires_at = now() - interval '1 second' where user_id = ${a.id}`;
    const fresh = await create(a.tokens.accessToken, "shared", body(2));
    expect(fresh.status).toBe(202);
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();
  });

  it("works the same on /trpc", async () => {
    const user = await newUser(base);
    const call = () =>
      http<{ result: { data: { import: { id: string } } } }>(base, "POST", "/trpc/imports.create", {
        token: user.tokens.accessToken,
        body: body(),
        headers: { "idempotency-key": "trpc-key" },
      });
    const first = await call();
    const second = await call();
    expect(first.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body.result.data.import.id).toBe(first.body.result.data.import.id);
  });
});

describe("imports", () => {
  it("validates items without failing the request, and caps the request", async () => {
    const user = await newUser(base);
    const res = await create(user.tokens.accessToken, "mixed", {
      source: "android-contacts",
      items: [
        {},
        { email: "nope" },
        { phone: "12" },
        { name: "Only Name" },
        { phone: "+1 415 555 2671" },
      ],
    });
    expect(res.status).toBe(202);
    const id = ImportResponseSchema.parse(res.body).import.id;
    const done = await completed(user.tokens.accessToken, id);
    expect(done).toMatchObject({
      totalItems: 5,
      invalidItems: 3,
      validItems: 2,
      duplicateItems: 0,
    });
    const items = ImportItemPageSchema.parse(
      (await http(base, "GET", `/v1/imports/${id}/items`, { token: user.tokens.accessToken })).body,
    );
    expect(items.items.map((i) => i.reason)).toEqual([
      "EMPTY",
      "INVALID_EMAIL",
      "INVALID_PHONE",
      null,
      null,
    ]);
    expect(items.items[4]?.phoneMasked).toBe("+1 415 *** 2671");

    const tooMany = await create(user.tokens.accessToken, "too-many", {
      source: "x",
      items: Array.from({ length: 10_001 }, () => ({ name: "a" })),
    });
    expect(tooMany.status).toBe(400);
    const none = await create(user.tokens.accessToken, "none", { source: "x", items: [] });
    expect(none.status).toBe(400);
    const longField = await create(user.tokens.accessToken, "long", {
      source: "x",
      items: [{ name: "n".repeat(201) }],
    });
    expect(longField.status).toBe(400);
    const extra = await create(user.tokens.accessToken, "extra", {
      source: "x",
      items: [{ name: "a", ssn: "1" }],
    });
    expect(extra.status).toBe(400);
    const massAssign = await create(user.tokens.accessToken, "mass", {
      ...body(),
      status: "completed",
      matchedItems: 99,
    });
    expect(massAssign.status).toBe(400);
  });

  it("accepts 10,000 items in one request and completes them", async () => {
    const user = await newUser(base);
    const items = Array.from({ length: 10_000 }, (_, i) => ({ email: `bulk${i}@example.com` }));
    const res = await create(user.tokens.accessToken, "bulk", { source: "bulk", items });
    expect(res.status).toBe(202);
    const done = await completed(
      user.tokens.accessToken,
      ImportResponseSchema.parse(res.body).import.id,
    );
    expect(done).toMatchObject({ totalItems: 10_000, validItems: 10_000 });
  });

  it("lists newest first with keyset cursors and a status filter", async () => {
    const user = await newUser(base);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        ImportResponseSchema.parse((await create(user.tokens.accessToken, `list-${i}`)).body).import
          .id,
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await http(
        base,
        "GET",
        `/v1/imports?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        { token: user.tokens.accessToken },
      );
      const page = ImportPageSchema.parse(res.body);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    await completed(user.tokens.accessToken, ids[4]!);
    const filtered = ImportPageSchema.parse(
      (
        await http(base, "GET", "/v1/imports?status=completed&limit=100", {
          token: user.tokens.accessToken,
        })
      ).body,
    );
    expect(filtered.items.every((i) => i.status === "completed")).toBe(true);
    expect(
      (await http(base, "GET", "/v1/imports?limit=0", { token: user.tokens.accessToken })).status,
    ).toBe(400);
    expect(
      (await http(base, "GET", "/v1/imports?cursor=garbage", { token: user.tokens.accessToken }))
        .status,
    ).toBe(400);
  });

  it("never shows another user's import (404 on both surfaces) and deletes only your own", async () => {
    const owner = await newUser(base);
    const other = await newUser(base);
    const id = ImportResponseSchema.parse((await create(owner.tokens.accessToken, "mine")).body)
      .import.id;
    for (const [method, path] of [
      ["GET", `/v1/imports/${id}`],
      ["GET", `/v1/imports/${id}/items`],
      ["DELETE", `/v1/imports/${id}`],
    ] as const) {
      const res = await http(base, method, path, { token: other.tokens.accessToken });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(ErrorResponseSchema.parse(res.body).code).toBe("NOT_FOUND");
    }
    const trpc = await http(
      base,
      "GET",
      `/trpc/imports.get?input=${encodeURIComponent(JSON.stringify({ importId: id }))}`,
      { token: other.tokens.accessToken },
    );
    expect(trpc.status).toBe(404);
    const list = ImportPageSchema.parse(
      (await http(base, "GET", "/v1/imports", { token: other.tokens.accessToken })).body,
    );
    expect(list.items).toHaveLength(0);

    expect(
      (await http(base, "DELETE", `/v1/imports/${id}`, { token: owner.tokens.accessToken })).status,
    ).toBe(204);
    expect(
      (await http(base, "GET", `/v1/imports/${id}`, { token: owner.tokens.accessToken })).status,
    ).toBe(404);
    const [items] = await sql<
      { n: number }[]
    >`select count(*)::int as n from import_items where import_id = ${id}`;
    expect(items?.n).toBe(0);
  });
});

describe("admin operations", () => {
  it("list all imports, queue stats, dead letters and cleanup; refused to plain users", async () => {
    const admin = await adminTokens(base);
    const user = await newUser(base);
    await create(user.tokens.accessToken, "admin-view");
    const imports = AdminImportPageSchema.parse(
      (await http(base, "GET", "/v1/admin/imports?limit=5", { token: admin.accessToken })).body,
    );
    expect(imports.items.length).toBeGreaterThan(0);
    const stats = QueueStatsSchema.parse(
      (await http(base, "GET", "/v1/admin/queue", { token: admin.accessToken })).body,
    );
    expect(stats.backend).toBe("postgres");
    const letters = await http(base, "GET", "/v1/admin/dead-letters", { token: admin.accessToken });
    expect(letters.status).toBe(200);
    const missing = await http(
      base,
      "POST",
      "/v1/admin/dead-letters/00000000-0000-4000-8000-000000000000/retry",
      { token: admin.accessToken },
    );
    expect(missing.status).toBe(404);
    expect(
      (
        await http(base, "DELETE", "/v1/admin/dead-letters/00000000-0000-4000-8000-000000000000", {
          token: admin.accessToken,
        })
      ).status,
    ).toBe(404);

    await sql`insert into revoked_sessions (session_id, expires_at) values (gen_random_uuid(), now() - interval '1 minute')`;
    await sql`insert into idempotency_keys (user_id, key, fingerprint, locked_until, expires_at) values (${user.id}, 'old', 'x', now(), now() - interval '1 second')`;
    const cleanup = await http(base, "POST", "/v1/admin/maintenance/cleanup", {
      token: admin.accessToken,
    });
    expect(cleanup.status).toBe(200);
    const result = CleanupResultSchema.parse(cleanup.body);
    expect(result.deleted.revokedSessions).toBeGreaterThanOrEqual(1);
    expect(result.deleted.idempotencyKeys).toBeGreaterThanOrEqual(1);

    for (const [method, path] of [
      ["GET", "/v1/admin/imports"],
      ["GET", "/v1/admin/queue"],
      ["GET", "/v1/admin/dead-letters"],
      ["POST", "/v1/admin/dead-letters/00000000-0000-4000-8000-000000000000/retry"],
      ["DELETE", "/v1/admin/dead-letters/00000000-0000-4000-8000-000000000000"],
      ["POST", "/v1/admin/maintenance/cleanup"],
    ] as const) {
      expect(
        (await http(base, method, path, { token: user.tokens.accessToken })).status,
        `${method} ${path}`,
      ).toBe(403);
    }
  });
});
