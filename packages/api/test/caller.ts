import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { AuthConfig } from "@runway/config";
import { loadConfig } from "@runway/config";
import { createCore, importJobHandlers, importJobStore } from "@runway/core";
import { createDatabase, migrationsFolder, verifyDatabase } from "@runway/db";
import { createMetrics, metricsHistory, MetricsWindow } from "@runway/observability";
import { createPostgresDispatcher } from "@runway/queue";

import type { ConsoleCookie, Context } from "../src/context";
import { RateLimits } from "../src/rate-limits";
import { appRouter } from "../src/root";
import { createCallerFactory } from "../src/trpc";

export const ADMIN = { email: "admin@example.com", password: "violet-tugboat-47-quartz" };

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

const createCaller = createCallerFactory(appRouter);

/**
 * The router over an in-process PGlite database, called as the HTTP layer calls it: a context
 * per request, without HTTP. Nothing processes the import queue.
 */
export async function startCallerFixture() {
  const handle = await createDatabase({ kind: "pglite", dataDir: null });
  await handle.migrate();
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
  const window = new MetricsWindow(createMetrics("api"));
  const base: Omit<Context, "requestId" | "authorization"> = {
    core,
    queue,
    // Every call comes from one address: only the limits a test is about may get in the way.
    limits: new RateLimits(
      loadConfig({
        DATA_DIR: mkdtempSync(path.join(tmpdir(), "rl-")),
        RATE_LIMIT_REGISTER_PER_HOUR: "1000000",
        RATE_LIMIT_REFRESH_PER_MINUTE: "1000000",
      }).rateLimits,
      null,
    ),
    clientIp: "127.0.0.1",
    idempotencyKey: undefined,
    setHeader: () => undefined,
    setUserId: () => undefined,
    traffic: () => window.summary(),
    trafficHistory: (minutes: number) => metricsHistory(window, minutes),
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
  let requests = 0;
  return {
    core,
    /** A caller for one request bearing `accessToken` (none: anonymous). */
    callerAs(accessToken?: string, extra: Partial<Context> = {}) {
      return createCaller({
        ...base,
        requestId: `caller-${String(++requests)}`,
        authorization: accessToken ? `Bearer ${accessToken}` : undefined,
        ...extra,
      });
    },
    close: () => handle.close(),
  };
}

export type CallerFixture = Awaited<ReturnType<typeof startCallerFixture>>;

/** The console's cookie as a browser holding it would present it (CSRF checks passed). */
export function consoleCookie(refreshToken?: string): ConsoleCookie {
  const cookie: ConsoleCookie = {
    refreshToken,
    csrfPassed: true,
    set: (token) => {
      cookie.refreshToken = token;
    },
    clear: () => {
      cookie.refreshToken = undefined;
    },
  };
  return cookie;
}
