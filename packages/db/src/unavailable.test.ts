import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";

import { createTestDatabase } from "@runway/test-harness";

import { createDatabase } from "./client";
import { isDatabaseUnavailable } from "./unavailable";

describe("isDatabaseUnavailable", () => {
  it("recognises a refused connection and a terminated one, through drizzle's wrapping", async () => {
    const database = await createTestDatabase(inject("postgresAdminUrl"));
    const closed = new URL(database.url);
    closed.port = "1";
    const refused = await createDatabase({ kind: "postgres", url: closed.toString(), poolSize: 1 });
    const handle = await createDatabase({ kind: "postgres", url: database.url, poolSize: 1 });
    const admin = postgres(database.url, { max: 1, onnotice: () => undefined });
    try {
      const refusal = await refused.db.execute("select 1").catch((error: unknown) => error);
      expect(isDatabaseUnavailable(refusal)).toBe(true);

      // A wrong query is not an outage.
      const wrong = await handle.db.execute("select * from no_such_table").catch((e: unknown) => e);
      expect(isDatabaseUnavailable(wrong)).toBe(false);
      expect(isDatabaseUnavailable(new Error("plain"))).toBe(false);

      // A query running when the server ends the session (as a fast shutdown does): 57P01.
      const running = handle.db.execute("select pg_sleep(10)").catch((error: unknown) => error);
      // Terminate it once it is running (the first attempts may find nothing to end).
      await expect
        .poll(
          async () =>
            (
              await admin`select pg_terminate_backend(pid) from pg_stat_activity
                where query like 'select pg_sleep(10)%' and pid <> pg_backend_pid()`
            ).length,
        )
        .toBe(1);
      const terminated = await running;
      expect(terminated).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(terminated)).toBe(true);
    } finally {
      await admin.end();
      await refused.close();
      await handle.close();
      await database.drop();
    }
  });
});
