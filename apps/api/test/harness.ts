import postgres from "postgres";
import { afterAll, beforeAll, inject, vi } from "vitest";

import type { Import } from "@runway/contracts";
import type { Logger } from "@runway/observability";
import { loadConfig } from "@runway/config";
import { ImportResponseSchema } from "@runway/contracts";
import { createLogger } from "@runway/observability";
import { createTestDatabase } from "@runway/test-harness";

import type { RunningServer } from "../src/server";
import { startServer } from "../src/server";

export const TEST_SECRET = "k3J9vQ2mX8pL5rT1wZ6yB4nC7dF0gH2jK5mN8qR1tV4xY7zA";
export const TEST_PII_KEY = "Zq8Lr2Vx7Nc4Tb9Wm1Ks6Hd3Jf0Gp5Ya8Ue2Io7Pl4Qw9";
export const ADMIN = { email: "admin@example.com", password: "violet-tugboat-47-quartz" };
export const PASSWORD = "correct horse battery staple";

export interface TestServer {
  url: string;
  databaseUrl: string;
  running: RunningServer;
  close(): Promise<void>;
}

/** A real API server on a fresh PostgreSQL database, listening on a random loopback port. */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { logger?: Logger; postgresAdminUrl?: string; now?: () => Date } = {},
): Promise<TestServer> {
  const database = await createTestDatabase(options.postgresAdminUrl ?? inject("postgresAdminUrl"));
  const config = loadConfig({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: database.url,
    JWT_SECRET: TEST_SECRET,
    PII_HASH_KEY: TEST_PII_KEY,
    CORS_ORIGINS: "https://admin.example.com",
    FIRST_ADMIN_EMAIL: ADMIN.email,
    FIRST_ADMIN_PASSWORD: ADMIN.password,
    // Suites make many calls from one address; the rate-limit suite sets its own limits.
    RATE_LIMIT_IP_PER_MINUTE: "1000000",
    RATE_LIMIT_REGISTER_PER_HOUR: "1000000",
    RATE_LIMIT_REFRESH_PER_MINUTE: "1000000",
    RATE_LIMIT_IMPORTS_PER_MINUTE: "1000000",
    RATE_LIMIT_IMPORT_ITEMS_PER_HOUR: "100000000",
    MATCH_LOOKUPS_PER_DAY: "100000000",
    // Suites share a busy machine: a slow moment must not shed their requests (the shedder has
    // its own tests with a controlled delay source).
    SHED_EVENT_LOOP_DELAY_MS: "0",
    SHED_LATENCY_MS: "0",
    ...env,
  });
  const running = await startServer(config, {
    logger: options.logger ?? createLogger({ service: "api", silent: true }),
    now: options.now,
  });
  return {
    url: running.url,
    databaseUrl: database.url,
    running,
    async close() {
      await running.stop();
      await database.drop();
    },
  };
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function http<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json; charset=UTF-8";
  }
  const response = await fetch(`${base}${path}`, { method, headers, body, redirect: "manual" });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

let counter = 0;
/** Registers a fresh user over REST and returns its id and tokens. */
export async function newUser(
  base: string,
): Promise<{ id: string; email: string; tokens: Tokens }> {
  const email = `user${++counter}.${Date.now()}@example.com`;
  const res = await http<{ user: { id: string }; tokens: Tokens }>(
    base,
    "POST",
    "/v1/auth/register",
    {
      body: { email, password: PASSWORD },
    },
  );
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return { id: res.body.user.id, email, tokens: res.body.tokens };
}

/** Polls an import until it is completed (the embedded dispatcher runs it in the API). */
export function waitForCompletion(base: string, token: string, id: string): Promise<Import> {
  return vi.waitFor(
    async () => {
      const res = await http(base, "GET", `/v1/imports/${id}`, { token });
      const current = ImportResponseSchema.parse(res.body).import;
      if (current.status !== "completed") throw new Error(`import ${id} is ${current.status}`);
      return current;
    },
    { timeout: 20_000, interval: 50 },
  );
}

/** A login as if from `ip`: for servers started with TRUST_PROXY=loopback. */
export const loginFrom = (base: string, email: string, password: string, ip: string) =>
  http(base, "POST", "/v1/auth/login", {
    body: { email, password },
    headers: { "x-forwarded-for": ip },
  });

export async function adminTokens(base: string): Promise<Tokens> {
  const res = await http<{ tokens: Tokens }>(base, "POST", "/v1/auth/login", { body: ADMIN });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`);
  return res.body.tokens;
}

/**
 * One server for a test file, started before its tests and closed after, and a client that
 * keeps every error body it receives (for the "no internals in errors" checks).
 */
export function useTestServer(
  env: Record<string, string> = {},
  options: { now?: () => Date } = {},
) {
  let current: TestServer | undefined;
  let client: postgres.Sql | undefined;
  const errorBodies: string[] = [];
  beforeAll(async () => {
    current = await startTestServer(env, options);
  });
  afterAll(async () => {
    await client?.end();
    await current?.close();
  });
  const server = (): TestServer => {
    if (!current) throw new Error("the test server is not started yet");
    return current;
  };
  return {
    get server() {
      return server();
    },
    get base() {
      return server().url;
    },
    /** A client of the server's own database, for checks the API does not expose. */
    get sql() {
      client ??= postgres(server().databaseUrl, { max: 2, onnotice: () => undefined });
      return client;
    },
    errorBodies,
    async call(
      method: string,
      path: string,
      options: Parameters<typeof http>[3] = {},
    ): Promise<HttpResult> {
      const res = await http(server().url, method, path, options);
      if (res.status >= 400) errorBodies.push(res.text);
      return res;
    },
  };
}
