import { afterAll, beforeAll, inject } from "vitest";

import type { AuthConfig } from "@runway/config";
import type { Core } from "@runway/core";
import type { DatabaseHandle } from "@runway/db";
import { createCore } from "@runway/core";
import { createDatabase } from "@runway/db";
import { createTestDatabase } from "@runway/test-harness";

export const TEST_AUTH: AuthConfig = {
  jwtSecret: "k3J9vQ2mX8pL5rT1wZ6yB4nC7dF0gH2jK5mN8qR1tV4xY7zA",
  jwtSecretPrevious: null,
  issuer: "runway-test",
  audience: "runway-test-api",
  accessTokenTtl: 900,
  refreshIdleTtl: 3600,
  refreshAbsoluteTtl: 7200,
  refreshReuseInterval: 10,
  revocationSyncIntervalMs: 1000,
};

export interface TestBackend {
  name: "postgres" | "pglite";
  open: () => Promise<{ handle: DatabaseHandle; close: () => Promise<void> }>;
}

/** The same suites run against real PostgreSQL and the embedded PGlite. */
export const backends: TestBackend[] = [
  {
    name: "postgres",
    async open() {
      const database = await createTestDatabase(inject("postgresAdminUrl"));
      const handle = await createDatabase({ kind: "postgres", url: database.url, poolSize: 10 });
      await handle.migrate();
      return {
        handle,
        async close() {
          await handle.close();
          await database.drop();
        },
      };
    },
  },
  {
    name: "pglite",
    async open() {
      const handle = await createDatabase({ kind: "pglite", dataDir: null });
      await handle.migrate();
      return { handle, close: () => handle.close() };
    },
  },
];

/** A controllable clock for lifetime tests. */
export function testClock(start = new Date("2026-11-26T10:00:00.000Z")) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(seconds: number) {
      current += seconds * 1000;
    },
  };
}

/** A password that passes the policy, shared by tests that register users. */
export const password = "correct horse battery staple";

export const TEST_PII_KEY = "Zq8Lr2Vx7Nc4Tb9Wm1Ks6Hd3Jf0Gp5Ya8Ue2Io7Pl4Qw9";

export function coreFor(
  handle: DatabaseHandle,
  auth: Partial<AuthConfig> = {},
  now?: () => Date,
): Core {
  return createCore({
    db: handle.db,
    auth: { ...TEST_AUTH, ...auth },
    piiHashKey: TEST_PII_KEY,
    ...(now ? { now } : {}),
  });
}

/** Opens the backend for the enclosing describe block and closes it after; returns an accessor. */
export function useBackend(backend: TestBackend): () => DatabaseHandle {
  let opened: Awaited<ReturnType<TestBackend["open"]>> | undefined;
  beforeAll(async () => {
    opened = await backend.open();
  });
  afterAll(async () => {
    await opened?.close();
  });
  return () => {
    if (!opened) throw new Error("backend not open yet");
    return opened.handle;
  };
}
