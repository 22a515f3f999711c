import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";

import type { PostgresDispatcher } from "@runway/queue";
import { deadLetters, imports } from "@runway/db";

import { backends, coreFor, TEST_AUTH, TEST_PII_KEY, useBackend } from "../test/databases";
import { meta, newImport, testDispatcher } from "../test/imports";
import { importJobStore } from "./import-jobs";
import { backoffDelay } from "./import-processing";
import { getImport } from "./imports";
import { createCore } from "./index";
import { register } from "./users";

const password = "correct horse battery staple";

describe("backoff", () => {
  it("doubles per attempt within [0.5, 1] of the nominal delay", () => {
    const policy = { attempts: 5, backoffMs: 1000 };
    for (const [attempt, nominal] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
    ] as const) {
      const delay = backoffDelay(policy, attempt);
      expect(delay).toBeGreaterThanOrEqual(nominal / 2);
      expect(delay).toBeLessThanOrEqual(nominal);
    }
  });
});

describe.each(backends)("the embedded dispatcher over core's job store on $name", (backend) => {
  const handle = useBackend(backend);
  let userId: string | undefined;
  let dispatcher: PostgresDispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.close();
    dispatcher = undefined;
  });

  async function owner() {
    userId ??= (await register(coreFor(handle()), { email: "jobs@example.com", password }, meta))
      .user.id;
    return userId;
  }

  it("claims a queued import, processes it and reports its state", async () => {
    const core = coreFor(handle());
    const user = await owner();
    const importId = await newImport(core, user, "completes");
    const store = importJobStore(core);
    expect(await store.state(importId)).toBe("waiting");
    expect(await store.counts()).toMatchObject({ waiting: 1, active: 0 });

    dispatcher = testDispatcher(core);
    dispatcher.start();
    await expect.poll(async () => (await getImport(core, user, importId)).status).toBe("completed");
    expect(await getImport(core, user, importId)).toMatchObject({ attempts: 1, validItems: 2 });
    expect(await dispatcher.inspect(importId)).toBe("completed");
    expect(await dispatcher.inspect("00000000-0000-4000-8000-000000000000")).toBe("missing");
  });

  it("retries a failing import with backoff, then fails it with one dead letter", async () => {
    const core = createCore({
      db: handle().db,
      auth: TEST_AUTH,
      piiHashKey: TEST_PII_KEY,
      failSource: "always-fails",
    });
    const user = await owner();
    const importId = await newImport(core, user, "fails", "always-fails");
    dispatcher = testDispatcher(core, { attempts: 3, backoffMs: 20 });
    dispatcher.start();
    await expect.poll(async () => (await getImport(core, user, importId)).status).toBe("failed");
    expect(await getImport(core, user, importId)).toMatchObject({
      attempts: 3,
      error: "injected failure",
    });
    const letters = await handle()
      .db.select()
      .from(deadLetters)
      .where(eq(deadLetters.importId, importId));
    expect(letters).toMatchObject([{ attempts: 3, error: "injected failure" }]);
  });

  it("schedules the next attempt only while attempts remain, and not for an erased import", async () => {
    const core = coreFor(handle());
    const user = await owner();
    const importId = await newImport(core, user, "retry-later");
    const store = importJobStore(core);
    expect(await store.claim(60_000)).toEqual({ importId, requestId: meta.requestId });
    expect(await store.claim(60_000)).toBeNull();
    const policy = { attempts: 2, backoffMs: 60_000 };
    await handle().db.update(imports).set({ attempts: 1 }).where(eq(imports.id, importId));
    expect(await store.retryLater(importId, policy)).toBe("scheduled");
    const [row] = await handle().db.select().from(imports).where(eq(imports.id, importId));
    expect(row?.status).toBe("queued");
    expect(row?.runAfter.getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect(await store.claim(60_000)).toBeNull();

    await handle().db.update(imports).set({ attempts: 2 }).where(eq(imports.id, importId));
    expect(await store.retryLater(importId, policy)).toBe("exhausted");
    await handle().db.delete(imports).where(eq(imports.id, importId));
    expect(await store.retryLater(importId, policy)).toBe("gone");
  });
});
