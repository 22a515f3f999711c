import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

import type { RunningServer } from "@runway/api-server/server";
import { startServer } from "@runway/api-server/server";
import { loadConfig } from "@runway/config";
import { createLogger } from "@runway/observability";
import { createTestDatabase, startPostgres } from "@runway/test-harness";

export const ADMIN = { email: "admin@example.com", password: "violet-tugboat-47-quartz" };
export const OPERATOR = { email: "operator.one@example.com", password: "amber-kettle-91-lantern" };
export const MEMBER = { email: "member.two@example.com", password: "copper-meadow-38-violin" };
export const FAILING_SOURCE = "broken-source";
export const ACCESS_TOKEN_TTL = 60;

export const DIST = fileURLToPath(new URL("../dist/", import.meta.url));

export interface Env {
  api: string;
  running: RunningServer;
  /** Moves the API's clock forward (tokens expire, the reuse grace passes) without waiting. */
  advanceClock(seconds: number): void;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the body it expects
  rest<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T }>;
  login(user: {
    email: string;
    password: string;
  }): Promise<{ accessToken: string; refreshToken: string }>;
  close(): Promise<void>;
}

/**
 * A live API on a fresh PostgreSQL database (the CI cluster from DATABASE_URL, or a throwaway
 * one), serving the built console, with imports that fail on purpose for dead letters.
 */
export async function startEnv(): Promise<Env> {
  if (!existsSync(`${DIST}index.html`)) {
    throw new Error("apps/admin/dist is missing: run pnpm --filter @runway/admin build first");
  }
  const postgres = process.env.DATABASE_URL ? null : await startPostgres();
  const database = await createTestDatabase(process.env.DATABASE_URL ?? postgres?.url ?? "");
  let offsetMs = 0;
  const config = loadConfig({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: database.url,
    JWT_SECRET: "e2eK3J9vQ2mX8pL5rT1wZ6yB4nC7dF0gH2jK5mN8qR1tV4xY7zA",
    PII_HASH_KEY: "e2eZq8Lr2Vx7Nc4Tb9Wm1Ks6Hd3Jf0Gp5Ya8Ue2Io7Pl4Qw9",
    FIRST_ADMIN_EMAIL: ADMIN.email,
    FIRST_ADMIN_PASSWORD: ADMIN.password,
    ADMIN_CONSOLE_DIR: DIST,
    ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL),
    REFRESH_REUSE_INTERVAL: "2",
    FAULT_FAIL_IMPORT_SOURCE: FAILING_SOURCE,
    IMPORT_ATTEMPTS: "1",
    IMPORT_BACKOFF_MS: "10",
    METRICS_SAMPLE_INTERVAL_MS: "1000",
    RATE_LIMIT_IP_PER_MINUTE: "100000",
    RATE_LIMIT_REFRESH_PER_MINUTE: "100000",
    // A busy machine must not shed the suite's requests (503): the shedder has its own tests.
    SHED_EVENT_LOOP_DELAY_MS: "0",
    SHED_LATENCY_MS: "0",
  });
  const running = await startServer(config, {
    logger: createLogger({ service: "api", silent: true }),
    now: () => new Date(Date.now() + offsetMs),
  });
  const api = running.url;

  const rest: Env["rest"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${api}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
  };
  const login: Env["login"] = async (user) => {
    const res = await rest<{ tokens: { accessToken: string; refreshToken: string } }>(
      "POST",
      "/v1/auth/login",
      { body: user },
    );
    if (res.status !== 200) throw new Error(`login of ${user.email} failed: ${res.status}`);
    return res.body.tokens;
  };

  return {
    api,
    running,
    advanceClock(seconds) {
      offsetMs += seconds * 1000;
    },
    rest,
    login,
    async close() {
      await running.stop();
      await database.drop();
      await postgres?.stop();
    },
  };
}

export interface Seed {
  operatorId: string;
  memberId: string;
  completedImportId: string;
  failedImportIds: string[];
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Users, one processed import with real-looking contacts, and three dead letters. */
export async function seed(env: Env): Promise<Seed> {
  const register = async (user: { email: string; password: string }, displayName: string) => {
    const res = await env.rest<{ user: { id: string }; tokens: { accessToken: string } }>(
      "POST",
      "/v1/auth/register",
      { body: { ...user, displayName } },
    );
    if (res.status !== 201) throw new Error(`register failed: ${res.status}`);
    return res.body;
  };
  const operator = await register(OPERATOR, "Olivia Operator");
  const member = await register(MEMBER, "Marco Member");
  for (let i = 0; i < 3; i++) {
    await register(
      { email: `reader${i}@example.org`, password: `quiet-harbor-${i}7-pebble` },
      `Reader ${i}`,
    );
  }
  const importAs = async (token: string, key: string, source: string, items: unknown[]) => {
    const res = await env.rest<{ import: { id: string } }>("POST", "/v1/imports", {
      token,
      headers: { "idempotency-key": key },
      body: { source, defaultRegion: "KR", items },
    });
    if (res.status !== 202) throw new Error(`import failed: ${res.status}`);
    return res.body.import.id;
  };
  const token = member.tokens.accessToken;
  const completedImportId = await importAs(token, "seed-ok", "android-contacts", [
    { name: "Jane Roe", email: "Jane.Roe@example.com", phone: "010-1234-5678" },
    { name: "Operator", email: OPERATOR.email },
    { name: "Jane Again", email: "jane.roe@example.com" },
    { email: "not-an-email" },
    { name: "Kim", phone: "+82 10 9876 5432" },
  ]);
  const failedImportIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    failedImportIds.push(
      await importAs(token, `seed-fail-${i}`, FAILING_SOURCE, [{ email: `lost${i}@example.net` }]),
    );
  }
  const admin = await env.login(ADMIN);
  await waitFor(async () => {
    const res = await env.rest<{ items: unknown[] }>("GET", "/v1/admin/dead-letters", {
      token: admin.accessToken,
    });
    return res.body.items.length === 3;
  }, "three dead letters");
  await waitFor(async () => {
    const res = await env.rest<{ import: { status: string } }>(
      "GET",
      `/v1/admin/imports/${completedImportId}`,
      { token: admin.accessToken },
    );
    return res.body.import.status === "completed";
  }, "the good import to complete");
  // The overview's charts need a few samples (one a second here, thinned to one per 5 s).
  await waitFor(async () => {
    const res = await env.rest<{ points: unknown[] }>("GET", "/v1/admin/metrics/history", {
      token: admin.accessToken,
    });
    return res.body.points.length >= 3;
  }, "three points of metrics history");
  return {
    operatorId: operator.user.id,
    memberId: member.user.id,
    completedImportId,
    failedImportIds,
  };
}
