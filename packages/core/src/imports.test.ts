import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { importItems, imports } from "@runway/db";

import { backends, coreFor, password, testClock, useBackend } from "../test/databases";
import { importRequest, meta, newImport, recordingDispatch, testDispatcher } from "../test/imports";
import { failImport, processImport } from "./import-processing";
import {
  acceptImport,
  adminListImports,
  createImport,
  getImport,
  isoTimestamp,
  listImports,
} from "./imports";
import { register } from "./users";

describe.each(backends)("import processing on $name", (backend) => {
  const handle = useBackend(backend);

  it("dedupes by hash, matches registered users, and gives the same result when re-run", async () => {
    const core = coreFor(handle());
    const { user } = await register(core, { email: "owner@example.com", password }, meta);
    await register(core, { email: "friend@example.com", password }, meta);
    const { body } = await createImport(core, {
      userId: user.id,
      idempotencyKey: "k1",
      meta,
      acceptedStatus: 202,
      input: {
        source: "test",
        defaultRegion: "KR",
        items: [
          { email: " Friend@Example.com " },
          { email: "friend@example.com", name: "Again" },
          { phone: "010-1234-5678" },
          { phone: "+82 10 1234 5678" },
          { email: "broken" },
          {},
        ],
      },
    });
    const id = body.import.id;
    // xmin names the transaction that wrote a row's current version.
    const versions = async () =>
      (
        await handle()
          .db.select({ idx: importItems.idx, xmin: sql<string>`xmin::text` })
          .from(importItems)
          .where(eq(importItems.importId, id))
          .orderBy(importItems.idx)
      ).map((row) => row.xmin);
    const stored = await versions();
    expect(await processImport(core, id)).toBe(true);
    const processed = await versions();
    // Only the items whose outcome changed were rewritten: the matched one (0) and the two
    // duplicates (1, 3); the unique phone (2) and the invalid items (4, 5) kept their version.
    expect(processed.map((xmin, idx) => xmin !== stored[idx])).toEqual([
      true,
      true,
      false,
      true,
      false,
      false,
    ]);
    const first = await getImport(core, user.id, id);
    expect(first).toMatchObject({
      status: "completed",
      totalItems: 6,
      validItems: 2,
      duplicateItems: 2,
      invalidItems: 2,
      matchedItems: 1,
      attempts: 1,
    });

    // A crash after the work but before the queue heard of it: the job runs again.
    await handle().db.update(imports).set({ status: "processing" }).where(eq(imports.id, id));
    expect(await processImport(core, id)).toBe(true);
    const second = await getImport(core, user.id, id);
    expect({ ...second, attempts: 0, completedAt: null }).toEqual({
      ...first,
      attempts: 0,
      completedAt: null,
    });
    expect(await processImport(core, id)).toBe(false);

    const rows = await handle().db.select().from(importItems).where(eq(importItems.importId, id));
    expect(JSON.stringify(rows)).not.toMatch(/friend@example\.com|1234-5678|821012345678/);
  });

  it("fails once with one dead letter, whatever the number of failure reports", async () => {
    const core = coreFor(handle());
    const { user } = await register(core, { email: "failing@example.com", password }, meta);
    const { body } = await createImport(core, {
      userId: user.id,
      idempotencyKey: "k2",
      meta,
      acceptedStatus: 202,
      input: { source: "test", items: [{ name: "x" }] },
    });
    await failImport(core, body.import.id, "boom");
    await failImport(core, body.import.id, "boom again");
    const row = await getImport(core, user.id, body.import.id);
    expect(row).toMatchObject({ status: "failed", error: "boom" });
    expect(await processImport(core, body.import.id)).toBe(false);
  });

  it("create-then-enqueue: a fresh import is handed to the queue once, a replay never", async () => {
    const core = coreFor(handle());
    const { user } = await register(core, { email: "accept@example.com", password }, meta);
    const { dispatch, handedOver, reported } = recordingDispatch(testDispatcher(core));
    const request = importRequest(user.id, "accept");
    const first = await acceptImport(core, dispatch, request);
    expect(first).toMatchObject({ status: 202, replayed: false });
    const replay = await acceptImport(core, dispatch, request);
    expect(replay).toEqual({ ...first, replayed: true });
    expect(handedOver).toEqual([
      { importId: first.body.import.id, requestId: request.meta.requestId },
    ]);
    expect(reported).toEqual([]);

    const offline = recordingDispatch(testDispatcher(core), true);
    const stored = await acceptImport(core, offline.dispatch, {
      ...request,
      idempotencyKey: "offline",
    });
    expect((await getImport(core, user.id, stored.body.import.id)).status).toBe("queued");
    expect(offline.reported).toEqual(["enqueue failed; the sweeper will dispatch the import"]);
  });

  it("a refused admission stores nothing and frees the key", async () => {
    const core = coreFor(handle());
    const { user } = await register(core, { email: "refused@example.com", password }, meta);
    const { dispatch, handedOver } = recordingDispatch(testDispatcher(core));
    const request = importRequest(user.id, "refused");
    const budget = new Error("over budget");
    await expect(
      acceptImport(core, dispatch, { ...request, admit: () => Promise.reject(budget) }),
    ).rejects.toBe(budget);
    expect(handedOver).toEqual([]);
    expect((await listImports(core, user.id, { limit: 10 })).items).toEqual([]);
    expect((await acceptImport(core, dispatch, request)).replayed).toBe(false);
  });

  it("pages imports newest first, ties broken by id, as contract types", async () => {
    const clock = testClock();
    const core = coreFor(handle(), {}, clock.now);
    const { user } = await register(core, { email: "pages@example.com", password }, meta);
    const ids: string[] = [];
    for (const key of ["p1", "p2", "p3"]) {
      ids.push(await newImport(core, user.id, key));
    }
    const first = await listImports(core, user.id, { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await listImports(core, user.id, { limit: 2, cursor: first.nextCursor ?? "" });
    expect(second.nextCursor).toBeNull();
    const seen = [...first.items, ...second.items].map((item) => item.id);
    expect(seen).toEqual([...ids].sort().reverse());
    expect(Object.keys(first.items[0] ?? {})).not.toContain("userId");

    const all = await adminListImports(core, { limit: 100, status: "queued" });
    expect(all.items.filter((item) => ids.includes(item.id))).toHaveLength(3);
    expect(all.items.find((item) => item.id === ids[0])?.userId).toBe(user.id);
    await expect(listImports(core, user.id, { limit: 2, cursor: "bogus" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
  });

  it("shows timestamps as Date.toISOString does, in any session time zone", async () => {
    const core = coreFor(handle());
    const { user } = await register(core, { email: "times@example.com", password }, meta);
    const id = await newImport(core, user.id, "times");
    // Stored at millisecond precision: .8915 is kept as .892, and .9996 rounds into next year.
    await handle().db.execute(sql`
      update imports set created_at = '1999-06-15 12:34:56.789+00',
        started_at = '2026-03-04 05:06:07.8915+00', completed_at = '2026-12-31 23:59:59.9996+00'
      where id = ${id}`);
    const [stored] = await handle().db.select().from(imports).where(eq(imports.id, id));
    const expected = {
      createdAt: "1999-06-15T12:34:56.789Z",
      startedAt: "2026-03-04T05:06:07.892Z",
      completedAt: "2027-01-01T00:00:00.000Z",
    };
    expect({
      createdAt: stored?.createdAt.toISOString(),
      startedAt: stored?.startedAt?.toISOString(),
      completedAt: stored?.completedAt?.toISOString(),
    }).toEqual(expected);
    expect(await getImport(core, user.id, id)).toMatchObject(expected);
    expect((await listImports(core, user.id, { limit: 5 })).items[0]).toMatchObject(expected);

    // The formatting does not depend on the session's time zone (+05:45 here).
    await handle().db.transaction(async (tx) => {
      await tx.execute(sql`set local time zone 'Asia/Kathmandu'`);
      const [row] = await tx
        .select({
          createdAt: isoTimestamp<string>(imports.createdAt),
          startedAt: isoTimestamp<string | null>(imports.startedAt),
          completedAt: isoTimestamp<string | null>(imports.completedAt),
        })
        .from(imports)
        .where(eq(imports.id, id));
      expect(row).toEqual(expected);
    });
  });
});
