import { z } from "zod";

import { AppVersionSchema } from "@runway/contracts";

const boolish = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A whole number within [min, max], `fallback` when unset. */
const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** At least `min`, no upper bound. */
const atLeast = (min: number, fallback: number) =>
  z.coerce.number().int().min(min).default(fallback);

/**
 * Every variable Runway reads. Documented in .env.example and the README. A secret may instead
 * come from a file named by its `_FILE` twin (secret-files.ts), resolved before this parse.
 */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: int(0, 65535, 3000),
  LOG_LEVEL: z.enum(["error", "warn", "info", "http", "debug"]).default("info"),

  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: int(1, 200, 10),
  MIGRATE_ON_START: boolish.optional(),
  API_REPLICAS: int(1, 1000, 1),
  WORKER_REPLICAS: int(1, 1000, 1),

  JWT_SECRET: z.string().optional(),
  JWT_SECRET_PREVIOUS: z.string().optional(),
  JWT_ISSUER: z.string().min(1).default("runway"),
  JWT_AUDIENCE: z.string().min(1).default("runway-api"),
  ACCESS_TOKEN_TTL: seconds(15 * 60),
  REFRESH_IDLE_TTL: seconds(30 * 24 * 3600),
  REFRESH_ABSOLUTE_TTL: seconds(90 * 24 * 3600),
  REFRESH_REUSE_INTERVAL: seconds(10),
  REVOCATION_SYNC_INTERVAL_MS: int(100, 60_000, 2000),

  CORS_ORIGINS: z.string().optional(),
  TRUST_PROXY: z.string().optional(),
  /** Origins the API is reached at; plain-HTTP requests are redirected only to these. */
  PUBLIC_ORIGINS: z.string().optional(),
  REQUIRE_HTTPS: boolish.optional(),
  BODY_LIMIT_BYTES: int(1024, 64 * 1024 * 1024, 5 * 1024 * 1024),
  TRPC_MAX_BATCH: int(1, 100, 10),
  /** Load shedding: answer 503 + Retry-After while the event loop's median delay exceeds this (0: off). */
  SHED_EVENT_LOOP_DELAY_MS: int(0, 60_000, 100),
  /** Load shedding: answer 503 + Retry-After while this many requests are in flight (0: off). */
  SHED_MAX_IN_FLIGHT: int(0, 100_000, 256),
  /** Sign-ins waiting for an argon2 thread beyond which a sign-in gets 503 at once (0: off). */
  SHED_PASSWORD_QUEUE: int(0, 100_000, 32),
  /** libuv's thread pool (argon2 runs there); Node reads it too, this only sizes the gate. */
  UV_THREADPOOL_SIZE: int(1, 1024, 4),
  /** Load shedding: 503 + Retry-After while the median response time exceeds this (0: off). */
  SHED_LATENCY_MS: int(0, 600_000, 500),
  SHED_RETRY_AFTER_SECONDS: int(1, 300, 2),
  /** Oldest app version (semver) /v1 serves; older X-App-Version values get 426. */
  MIN_APP_VERSION: AppVersionSchema.optional(),
  /** Serve the built admin console at /admin. */
  ADMIN_CONSOLE: boolish.default(true),
  /** Where the console's build lives (apps/admin/dist by default). */
  ADMIN_CONSOLE_DIR: z.string().min(1).optional(),

  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  PII_HASH_KEY: z.string().optional(),
  IDEMPOTENCY_TTL: seconds(24 * 3600),

  WORKER_CONCURRENCY: int(1, 64, 2),
  IMPORT_ATTEMPTS: int(1, 50, 5),
  IMPORT_BACKOFF_MS: int(10, 3_600_000, 2000),
  WORKER_LOCK_MS: int(1000, 600_000, 30_000),
  SWEEP_INTERVAL_MS: int(100, 3_600_000, 15_000),
  SWEEP_AFTER_MS: int(0, 3_600_000, 30_000),
  SHUTDOWN_GRACE_MS: int(100, 600_000, 20_000),
  MAINTENANCE_INTERVAL_MS: atLeast(1000, 3_600_000),
  /** Fault injection for the failure tests: imports with this source always fail. Never in production. */
  FAULT_FAIL_IMPORT_SOURCE: z.string().optional(),

  RATE_LIMIT_IP_PER_MINUTE: atLeast(1, 600),
  RATE_LIMIT_REGISTER_PER_HOUR: atLeast(1, 20),
  RATE_LIMIT_REFRESH_PER_MINUTE: atLeast(1, 60),
  RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT_IP: atLeast(1, 10),
  RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT: atLeast(1, 100),
  RATE_LIMIT_LOGIN_FAILS_PER_IP: atLeast(1, 100),
  RATE_LIMIT_IMPORTS_PER_MINUTE: atLeast(1, 30),
  RATE_LIMIT_IMPORT_ITEMS_PER_HOUR: atLeast(1, 500_000),
  /** Contacts (with an email or phone) one user may have matched against accounts per day. */
  MATCH_LOOKUPS_PER_DAY: atLeast(1, 10_000),

  /** Bearer token for GET /metrics on the API port. Without it /metrics is not served there. */
  METRICS_TOKEN: z.string().optional(),
  /** A separate, unauthenticated listener for /metrics (bind it to a private interface). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** Deployment track (stable, canary) added as a label to every metric, for canary analysis. */
  TRACK: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, "must be a short lowercase name such as stable or canary")
    .optional(),
  /** How often the API samples its figures for the admin summary, charts and alerts. */
  METRICS_SAMPLE_INTERVAL_MS: int(500, 60_000, 15_000),
  /** The worker's /metrics and /healthz listener. */
  WORKER_METRICS_PORT: int(0, 65535, 9465),

  SENTRY_DSN: z
    .string()
    .regex(
      /^https?:\/\/\w+(:\w+)?@[\w.-]+(:\d+)?\/.+$/,
      "must be a Sentry DSN like https://key@host/1",
    )
    .optional(),
  SENTRY_ENVIRONMENT: z.string().min(1).optional(),
  SENTRY_RELEASE: z.string().min(1).optional(),

  SLACK_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  PAGERDUTY_ROUTING_KEY: z.string().min(1).optional(),
  PAGERDUTY_EVENTS_URL: z
    .url({ protocol: /^https?$/ })
    .default("https://events.pagerduty.com/v2/enqueue"),
  ALERT_INTERVAL_MS: int(100, 3_600_000, 30_000),
  ALERT_WINDOW_SECONDS: int(1, 86_400, 300),
  ALERT_5XX_RATIO: z.coerce.number().gt(0).max(1).default(0.05),
  ALERT_MIN_REQUESTS: atLeast(1, 20),
  ALERT_QUEUE_AGE_SECONDS: atLeast(1, 300),
  ALERT_READINESS_FAILURES: int(1, 100, 2),

  FIRST_ADMIN_EMAIL: z.string().optional(),
  FIRST_ADMIN_PASSWORD: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;
