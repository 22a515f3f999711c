import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { deadLetters } from "@runway/db";

import { backends, coreFor, useBackend } from "../test/databases";
import { meta, newImport, recordingDispatch, testDispatcher } from "../test/imports";
import { discardDeadLetter, listDeadLetters, retryDeadLetter } from "./dead-letters";
import { failImport } from "./import-processing";
import { getImport } from "./imports";
import { register } from "./users";

const password = "correct horse battery staple";
const missing = "00000000-0000-4000-8000-000000000000";

describe.each(backends)("dead letters on $name", (backend) => {
  const handle = useBackend(backend);
  let userId: string | undefined;

  async function deadLetter(key: string) {
    const core = coreFor(handle());
    userId ??= (await register(core, { email: "dl@example.com", password }, meta)).user.id;
    const importId = await newImport(core, userId, key);
    await failImport(core, importId, "boom");
    const [letter] = await handle()
      .db.select()
      .from(deadLetters)
      .where(eq(deadLetters.importId, importId));
    if (!letter) throw new Error("no dead letter written");
    return { core, owner: userId, importId, letterId: letter.id };
  }

  it("retry queues the import with fresh attempts and hands it to the queue", async () => {
    const { core, owner, importId, letterId } = await deadLetter("retry");
    const { dispatch, handedOver, reported } = recordingDispatch(testDispatcher(core));
    expect(await retryDeadLetter(core, dispatch, letterId)).toEqual({ importId });
    expect(handedOver).toEqual([{ importId, requestId: meta.requestId }]);
    expect(reported).toEqual([]);
    expect(await getImport(core, owner, importId)).toMatchObject({
      status: "queued",
      attempts: 0,
      error: null,
      startedAt: null,
      completedAt: null,
    });
    await expect(retryDeadLetter(core, dispatch, letterId)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("retry still succeeds when the queue is unreachable, and reports it", async () => {
    const { core, owner, importId, letterId } = await deadLetter("retry-offline");
    const { dispatch, reported } = recordingDispatch(testDispatcher(core), true);
    expect(await retryDeadLetter(core, dispatch, letterId)).toEqual({ importId });
    expect(reported).toEqual(["requeue failed; the sweeper will dispatch the import"]);
    expect((await getImport(core, owner, importId)).status).toBe("queued");
  });

  it("discard drops the letter and leaves the import failed; unknown ids are NOT_FOUND", async () => {
    const { core, owner, importId, letterId } = await deadLetter("discard");
    await discardDeadLetter(core, letterId);
    expect((await getImport(core, owner, importId)).status).toBe("failed");
    const page = await listDeadLetters(core, { limit: 100 });
    expect(page.items.map((item) => item.id)).not.toContain(letterId);
    await expect(discardDeadLetter(core, letterId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(discardDeadLetter(core, missing)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("pages newest first by keyset", async () => {
    const letters = [];
    for (const key of ["page-1", "page-2", "page-3"]) letters.push(await deadLetter(key));
    const core = coreFor(handle());
    const first = await listDeadLetters(core, { limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    const second = await listDeadLetters(core, { limit: 100, cursor: first.nextCursor ?? "" });
    const ids = [...first.items, ...second.items].map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const letter of letters) expect(ids).toContain(letter.letterId);
  });
});

describe.each(backends.filter((backend) => backend.name === "postgres"))(
  "concurrent admin actions on one dead letter ($name)",
  (backend) => {
    const handle = useBackend(backend);

    /** Sessions of this database waiting for a lock. */
    async function lockWaiters(): Promise<number> {
      const result: unknown = await handle().db.execute(
        sql`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
      );
      const rows = result as { n: number }[];
      return rows[0]?.n ?? 0;
    }

    it("a racing retry and discard: one wins, the other gets DEAD_LETTER_CONFLICT", async () => {
      const core = coreFor(handle());
      const { user } = await register(core, { email: "race@example.com", password }, meta);
      const { dispatch } = recordingDispatch(testDispatcher(core));
      for (const round of [1, 2, 3]) {
        const importId = await newImport(core, user.id, `race-${round}`);
        await failImport(core, importId, "boom");
        const [letter] = await core.db
          .select()
          .from(deadLetters)
          .where(eq(deadLetters.importId, importId));
        if (!letter) throw new Error("no dead letter written");

        // Both actions see the letter, then queue for its row lock behind a reader; released
        // together, exactly one of them takes it.
        const gate = { open: (): void => undefined, held: (): void => undefined };
        const released = new Promise<void>((resolve) => {
          gate.open = resolve;
        });
        const isReading = new Promise<void>((resolve) => {
          gate.held = resolve;
        });
        const reader = core.db.transaction(async (tx) => {
          await tx.select().from(deadLetters).where(eq(deadLetters.id, letter.id)).for("share");
          gate.held();
          await released;
        });
        await isReading;
        const racing = Promise.allSettled([
          retryDeadLetter(core, dispatch, letter.id),
          discardDeadLetter(core, letter.id),
        ]);
        await expect.poll(lockWaiters).toBe(2);
        gate.open();
        await reader;
        const results = await racing;

        expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
        const lost = results.flatMap((result) =>
          result.status === "rejected" ? [result.reason as unknown] : [],
        );
        expect(lost).toEqual([expect.objectContaining({ code: "DEAD_LETTER_CONFLICT" })]);
        const left = await core.db.select().from(deadLetters).where(eq(deadLetters.id, letter.id));
        expect(left).toEqual([]);
      }
    });
  },
);
