import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { EnvSchema } from "./env";
import { fail } from "./errors";
import { parseOrigins, parsePublicOrigins, parseTrustProxy, validateOrigins } from "./http";
import { withSecretFiles } from "./secret-files";
import { secretWeakness } from "./secrets";

/** Relative to the working directory, like DATA_DIR: the root scripts run from the repo root. */
const DEFAULT_ADMIN_CONSOLE_DIR = "apps/admin/dist";

export { EnvSchema, type Env } from "./env";
export { ConfigError } from "./errors";
export { estimateSecretBits, secretWeakness, MIN_SECRET_BITS } from "./secrets";
export { SECRET_VARIABLES } from "./secret-files";

/** `dataDir: null` is an in-memory PGlite (tests); loadConfig always names a directory. */
export type DatabaseConfig =
  { kind: "postgres"; url: string; poolSize: number } | { kind: "pglite"; dataDir: string | null };

/** The configuration's shape is what loadConfig builds from the parsed EnvSchema. */
export type Config = ReturnType<typeof loadConfig>;
export type AuthConfig = Config["auth"];
export type RateLimitConfig = Config["rateLimits"];
/** Points per window; `windowSec` is the window length. */
export type RateRule = RateLimitConfig["ip"];

/** Development convenience: a random secret kept in the data directory across restarts. */
function developmentSecret(
  dataDir: string,
  name: string,
  variable: string,
  warnings: string[],
): string {
  const file = path.join(dataDir, name);
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (secretWeakness(existing) === null) return existing;
  } catch {
    // Not there yet: generate below.
  }
  const secret = randomBytes(32).toString("base64url");
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  warnings.push(
    `${variable} is not set: generated a development secret in ${file}; never use it in production`,
  );
  return secret;
}

/** The secret itself, or a ConfigError naming `variable` when it is missing or weak. */
function strongSecret(variable: string, value: string | undefined): string {
  const weakness = secretWeakness(value);
  if (weakness !== null || value === undefined) fail(variable, weakness ?? "is missing");
  return value;
}

/**
 * Reads the environment once at start: `<NAME>_FILE` twins first, then EnvSchema, then the rules
 * across variables. Throws a ConfigError whose message is one line naming the variable.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env) {
  // An empty variable (`FOO=` in an env file) means "not set", as in most tooling.
  const present = Object.fromEntries(
    Object.entries(withSecretFiles(source)).filter(
      ([, value]) => value !== undefined && value !== "",
    ),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(
      String(issue?.path[0] ?? "environment"),
      `is invalid: ${issue?.message ?? "unknown problem"}`,
    );
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === "production";
  const warnings: string[] = [];
  const dataDir = path.resolve(env.DATA_DIR);

  let jwtSecret: string;
  if (isProduction || env.JWT_SECRET) {
    jwtSecret = strongSecret("JWT_SECRET", env.JWT_SECRET);
    if (isProduction && !env.DATABASE_URL) {
      fail("DATABASE_URL", "is missing (production needs PostgreSQL)");
    }
  } else {
    jwtSecret = developmentSecret(dataDir, "jwt-secret", "JWT_SECRET", warnings);
  }

  let piiHashKey: string;
  if (isProduction || env.PII_HASH_KEY) {
    piiHashKey = strongSecret("PII_HASH_KEY", env.PII_HASH_KEY);
    if (piiHashKey === jwtSecret) fail("PII_HASH_KEY", "must differ from JWT_SECRET");
  } else {
    piiHashKey = developmentSecret(dataDir, "pii-hash-key", "PII_HASH_KEY", warnings);
  }
  if (isProduction && env.FAULT_FAIL_IMPORT_SOURCE)
    fail("FAULT_FAIL_IMPORT_SOURCE", "is for tests only");
  if (env.JWT_SECRET_PREVIOUS) strongSecret("JWT_SECRET_PREVIOUS", env.JWT_SECRET_PREVIOUS);

  let corsOrigins: string[];
  if (isProduction || env.CORS_ORIGINS !== undefined) {
    corsOrigins = parseOrigins(env.CORS_ORIGINS ?? "");
    validateOrigins(corsOrigins);
  } else {
    corsOrigins = [
      `http://localhost:${env.PORT}`,
      `http://127.0.0.1:${env.PORT}`,
      "http://localhost:5173",
    ];
  }

  if (env.REFRESH_ABSOLUTE_TTL < env.REFRESH_IDLE_TTL) {
    fail("REFRESH_ABSOLUTE_TTL", "must be at least REFRESH_IDLE_TTL");
  }

  if (env.METRICS_TOKEN) strongSecret("METRICS_TOKEN", env.METRICS_TOKEN);

  const firstAdmin =
    env.FIRST_ADMIN_EMAIL && env.FIRST_ADMIN_PASSWORD
      ? { email: env.FIRST_ADMIN_EMAIL, password: env.FIRST_ADMIN_PASSWORD }
      : null;
  if (Boolean(env.FIRST_ADMIN_EMAIL) !== Boolean(env.FIRST_ADMIN_PASSWORD)) {
    fail(
      env.FIRST_ADMIN_EMAIL ? "FIRST_ADMIN_PASSWORD" : "FIRST_ADMIN_EMAIL",
      "is missing (set both or neither)",
    );
  }

  const database: DatabaseConfig = env.DATABASE_URL
    ? { kind: "postgres", url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
    : { kind: "pglite", dataDir: path.join(dataDir, "pglite") };

  return {
    nodeEnv: env.NODE_ENV,
    isProduction,
    logLevel: env.LOG_LEVEL,
    dataDir,
    database,
    /** What db:verify weighs against max_connections: every replica opens up to poolSize. */
    databaseCapacity: {
      poolSize: env.DATABASE_POOL_SIZE,
      apiReplicas: env.API_REPLICAS,
      workerReplicas: env.WORKER_REPLICAS,
    },
    migrateOnStart: env.MIGRATE_ON_START ?? !isProduction,
    auth: {
      jwtSecret,
      jwtSecretPrevious: env.JWT_SECRET_PREVIOUS ?? null,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTokenTtl: env.ACCESS_TOKEN_TTL,
      refreshIdleTtl: env.REFRESH_IDLE_TTL,
      refreshAbsoluteTtl: env.REFRESH_ABSOLUTE_TTL,
      refreshReuseInterval: env.REFRESH_REUSE_INTERVAL,
      revocationSyncIntervalMs: env.REVOCATION_SYNC_INTERVAL_MS,
    },
    http: {
      host: env.HOST,
      port: env.PORT,
      corsOrigins,
      publicOrigins: parsePublicOrigins(env.PUBLIC_ORIGINS, corsOrigins),
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
      requireHttps: env.REQUIRE_HTTPS ?? isProduction,
      hsts: isProduction,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      trpcMaxBatch: env.TRPC_MAX_BATCH,
      shedding: {
        maxEventLoopDelayMs: env.SHED_EVENT_LOOP_DELAY_MS,
        maxInFlight: env.SHED_MAX_IN_FLIGHT,
        maxLatencyMs: env.SHED_LATENCY_MS,
        retryAfterSeconds: env.SHED_RETRY_AFTER_SECONDS,
        maxPasswordQueue: env.SHED_PASSWORD_QUEUE,
        hashThreads: env.UV_THREADPOOL_SIZE,
      },
      minAppVersion: env.MIN_APP_VERSION ?? null,
      adminConsoleDir: env.ADMIN_CONSOLE
        ? path.resolve(env.ADMIN_CONSOLE_DIR ?? DEFAULT_ADMIN_CONSOLE_DIR)
        : null,
    },
    jobs: {
      redisUrl: env.REDIS_URL ?? null,
      concurrency: env.WORKER_CONCURRENCY,
      attempts: env.IMPORT_ATTEMPTS,
      backoffMs: env.IMPORT_BACKOFF_MS,
      lockMs: env.WORKER_LOCK_MS,
      sweepIntervalMs: env.SWEEP_INTERVAL_MS,
      sweepAfterMs: env.SWEEP_AFTER_MS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      maintenanceIntervalMs: env.MAINTENANCE_INTERVAL_MS,
      failSource: env.FAULT_FAIL_IMPORT_SOURCE ?? null,
    },
    rateLimits: {
      ip: { points: env.RATE_LIMIT_IP_PER_MINUTE, windowSec: 60 },
      register: { points: env.RATE_LIMIT_REGISTER_PER_HOUR, windowSec: 3600 },
      refresh: { points: env.RATE_LIMIT_REFRESH_PER_MINUTE, windowSec: 60 },
      loginAccountIp: { points: env.RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT_IP, windowSec: 900 },
      loginAccount: { points: env.RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT, windowSec: 3600 },
      /** Failed logins from one IP across all accounts: password spraying. */
      loginIp: { points: env.RATE_LIMIT_LOGIN_FAILS_PER_IP, windowSec: 3600 },
      importRequests: { points: env.RATE_LIMIT_IMPORTS_PER_MINUTE, windowSec: 60 },
      importItems: { points: env.RATE_LIMIT_IMPORT_ITEMS_PER_HOUR, windowSec: 3600 },
      matchLookups: { points: env.MATCH_LOOKUPS_PER_DAY, windowSec: 86_400 },
    },
    /** Key of HMAC-SHA256 over normalized PII; its own secret, same policy as JWT_SECRET. */
    piiHashKey,
    idempotencyTtl: env.IDEMPOTENCY_TTL,
    observability: {
      metricsToken: env.METRICS_TOKEN ?? null,
      metricsPort: env.METRICS_PORT ?? null,
      metricsHost: env.METRICS_HOST,
      metricsSampleIntervalMs: env.METRICS_SAMPLE_INTERVAL_MS,
      workerMetricsPort: env.WORKER_METRICS_PORT,
      track: env.TRACK ?? null,
      sentry: env.SENTRY_DSN
        ? {
            dsn: env.SENTRY_DSN,
            environment: env.SENTRY_ENVIRONMENT ?? env.NODE_ENV,
            release: env.SENTRY_RELEASE ?? null,
          }
        : null,
      alerts: {
        slackWebhookUrl: env.SLACK_WEBHOOK_URL ?? null,
        pagerduty: env.PAGERDUTY_ROUTING_KEY
          ? { routingKey: env.PAGERDUTY_ROUTING_KEY, eventsUrl: env.PAGERDUTY_EVENTS_URL }
          : null,
        intervalMs: env.ALERT_INTERVAL_MS,
        windowSeconds: env.ALERT_WINDOW_SECONDS,
        errorRatio: env.ALERT_5XX_RATIO,
        minRequests: env.ALERT_MIN_REQUESTS,
        queueAgeSeconds: env.ALERT_QUEUE_AGE_SECONDS,
        readinessFailures: env.ALERT_READINESS_FAILURES,
      },
    },
    firstAdmin,
    /** One-line notices for the operator, e.g. a generated development secret. */
    warnings,
  };
}
