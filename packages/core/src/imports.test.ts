import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { importItems, imports } from "@runway/db";

import { backends, coreFor, useBackend } from "../test/databases";
import { failImport, processImport } from "./import-processing";
import { createImport, getImport } from "./imports";
import { register } from "./users";

const meta = { requestId: "req-1" };
const password = "correct horse battery staple";

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
    expect(await processImport(core, id)).toBe(true);
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
});
