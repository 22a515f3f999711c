import { benchSecrets } from "./services";

/** The first admin every test API starts with (FIRST_ADMIN_*). */
export const ADMIN = { email: "admin@example.com", password: "violet-tugboat-47-quartz" };
export const PASSWORD = "correct horse battery staple";

/**
 * The environment of an API under test, in process or as a child: throwaway secrets, and limits
 * out of the way of suites that make many calls from one address.
 */
export function testApiEnv(databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    ...benchSecrets,
    CORS_ORIGINS: "https://admin.example.com",
    FIRST_ADMIN_EMAIL: ADMIN.email,
    FIRST_ADMIN_PASSWORD: ADMIN.password,
    // The rate-limit suite sets its own limits.
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

export async function adminTokens(base: string): Promise<Tokens> {
  const res = await http<{ tokens: Tokens }>(base, "POST", "/v1/auth/login", { body: ADMIN });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`);
  return res.body.tokens;
}
