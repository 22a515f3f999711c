import postgres from "postgres";
import { afterAll, beforeAll, inject, vi } from "vitest";

import type { Import } from "@runway/contracts";
import type { Logger } from "@runway/observability";
import type { ApiUnderTest, HttpResult, Tokens } from "@runway/test-harness";
import { loadConfig } from "@runway/config";
import { ImportResponseSchema } from "@runway/contracts";
import { createLogger } from "@runway/observability";
import {
  ADMIN,
  adminTokens,
  benchSecrets,
  createTestDatabase,
  http,
  newUser,
  PASSWORD,
  testApiEnv,
} from "@runway/test-harness";

import type { RunningServer } from "../src/server";
import { startServer } from "../src/server";

export const TEST_SECRET = benchSecrets.JWT_SECRET;
export const TEST_PII_KEY = benchSecrets.PII_HASH_KEY;
export { ADMIN, adminTokens, http, newUser, PASSWORD };
export type { HttpResult, Tokens };

export interface TestServer extends ApiUnderTest {
  running: RunningServer;
}

/** A real API server on a fresh PostgreSQL database, listening on a random loopback port. */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { logger?: Logger; postgresAdminUrl?: string; now?: () => Date } = {},
): Promise<TestServer> {
  const database = await createTestDatabase(options.postgresAdminUrl ?? inject("postgresAdminUrl"));
  const config = loadConfig({ ...testApiEnv(database.url), PORT: "0", ...env });
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
