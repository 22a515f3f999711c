import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { production, refusal, STRONG } from "../test/env";
import { loadConfig, secretWeakness } from "./index";

describe("secret policy", () => {
  it.each([
    ["", "is missing"],
    ["changeme-changeme-changeme-changeme-changeme", "placeholder"],
    ["your-secret-here-0123456789abcdefghijklmnopqrstuvwxyz", "placeholder"],
    ["short-but-random-Xy7", "too weak"],
    ["0123456789abcdef0123456789abcdef", "too weak"],
    ["aB3$aB3$aB3$aB3$aB3$aB3$aB3$aB3$aB3$aB3$aB3$aB3$aB3$", "repetitive"],
  ])("refuses %j", (secret, why) => {
    expect(secretWeakness(secret)).toContain(why);
  });

  it("accepts `openssl rand -base64 32` and `-hex 32` output", () => {
    expect(secretWeakness("q3x0dYQ7bmJc6mO2g9pU4XUMx8s1aRk0Wl9bP3zTgQE=")).toBeNull();
    expect(
      secretWeakness("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
    ).toBeNull();
  });
});

describe("production refuses to start, naming the variable", () => {
  it("accepts a complete configuration", () => {
    const config = loadConfig(production);
    expect(config.isProduction).toBe(true);
    expect(config.http).toMatchObject({
      requireHttps: true,
      hsts: true,
      corsOrigins: ["https://admin.example.com"],
    });
    expect(config.migrateOnStart).toBe(false);
    expect(config.database.kind).toBe("postgres");
  });

  it.each([
    [{ JWT_SECRET: "" }, /^JWT_SECRET is missing/],
    [{ JWT_SECRET: "supersecret" }, /^JWT_SECRET /],
    [{ JWT_SECRET: "changeme".repeat(8) }, /^JWT_SECRET looks like a placeholder/],
    [{ JWT_SECRET_PREVIOUS: "weak" }, /^JWT_SECRET_PREVIOUS /],
    [{ DATABASE_URL: "" }, /^DATABASE_URL is missing/],
    [{ PII_HASH_KEY: "" }, /^PII_HASH_KEY is missing/],
    [{ PII_HASH_KEY: "changeme".repeat(8) }, /^PII_HASH_KEY looks like a placeholder/],
    [{ PII_HASH_KEY: STRONG }, /^PII_HASH_KEY must differ from JWT_SECRET/],
    [{ FAULT_FAIL_IMPORT_SOURCE: "x" }, /^FAULT_FAIL_IMPORT_SOURCE is for tests only/],
    [{ REDIS_URL: "http://x" }, /^REDIS_URL is invalid/],
    [{ DATABASE_URL: "mysql://x" }, /^DATABASE_URL is invalid/],
    [{ CORS_ORIGINS: "" }, /^CORS_ORIGINS is missing/],
    [{ CORS_ORIGINS: "*" }, /^CORS_ORIGINS must not contain a wildcard/],
    [
      { CORS_ORIGINS: "https://a.example.com,https://*.example.com" },
      /^CORS_ORIGINS must not contain a wildcard/,
    ],
    [{ CORS_ORIGINS: "https://a.example.com/path" }, /^CORS_ORIGINS entries must be bare origins/],
    [{ TRUST_PROXY: "true" }, /^TRUST_PROXY must name the proxies/],
    [{ PORT: "99999" }, /^PORT is invalid/],
  ])("%o", (override, message) => {
    const text = refusal({ ...production, ...override });
    expect(text).toMatch(message);
    expect(text).not.toContain("\n");
    expect(text).not.toContain(STRONG);
  });
});

describe("development defaults", () => {
  it("sheds load by default and lets each signal be turned off", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "runway-config-"));
    expect(loadConfig({ DATA_DIR: dataDir }).http.shedding).toEqual({
      maxEventLoopDelayMs: 100,
      maxInFlight: 256,
      maxLatencyMs: 500,
      retryAfterSeconds: 2,
      maxPasswordQueue: 32,
      hashThreads: 4,
    });
    const off = loadConfig({
      DATA_DIR: dataDir,
      SHED_EVENT_LOOP_DELAY_MS: "0",
      SHED_MAX_IN_FLIGHT: "0",
    });
    expect(off.http.shedding).toMatchObject({ maxEventLoopDelayMs: 0, maxInFlight: 0 });
    expect(() => loadConfig({ DATA_DIR: dataDir, SHED_RETRY_AFTER_SECONDS: "0" })).toThrow(
      /SHED_RETRY_AFTER_SECONDS/,
    );
  });

  it("runs with no environment: PGlite in .data, a generated secret kept across restarts, CORS for the console", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "runway-config-"));
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.http.port).toBe(3000);
    expect(config.http.host).toBe("127.0.0.1");
    expect(config.database).toEqual({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
    expect(config.warnings).toHaveLength(2);
    expect(config.warnings[0]).toMatch(/^JWT_SECRET is not set/);
    expect(config.warnings[1]).toMatch(/^PII_HASH_KEY is not set/);
    expect(config.piiHashKey).not.toBe(config.auth.jwtSecret);
    expect(readFileSync(path.join(dataDir, "pii-hash-key"), "utf8").trim()).toBe(config.piiHashKey);
    expect(secretWeakness(config.auth.jwtSecret)).toBeNull();
    expect(readFileSync(path.join(dataDir, "jwt-secret"), "utf8").trim()).toBe(
      config.auth.jwtSecret,
    );
    const again = loadConfig({ DATA_DIR: dataDir });
    expect(again.auth.jwtSecret).toBe(config.auth.jwtSecret);
    expect(again.warnings).toHaveLength(0);
    expect(config.http.corsOrigins).toContain("http://localhost:3000");
    expect(config.http.requireHttps).toBe(false);
    expect(config.migrateOnStart).toBe(true);
  });

  it("reads MIN_APP_VERSION as a semantic version and refuses anything else by name", () => {
    const min = loadConfig({ ...production, MIN_APP_VERSION: "2.4.0-beta.1" }).http.minAppVersion;
    expect(min).toBe("2.4.0-beta.1");
    expect(loadConfig(production).http.minAppVersion).toBeNull();
    for (const bad of ["2.4", "v2.4.0", "02.4.0", "latest"]) {
      expect(refusal({ ...production, MIN_APP_VERSION: bad })).toMatch(/^MIN_APP_VERSION /);
    }
  });

  it("treats empty variables as unset", () => {
    const config = loadConfig({
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "runway-config-")),
      PORT: "",
      HOST: "",
      MIGRATE_ON_START: "",
    });
    expect(config.http.port).toBe(3000);
    expect(config.migrateOnStart).toBe(true);
  });

  it("requires both first-admin variables or neither", () => {
    expect(refusal({ JWT_SECRET: STRONG, FIRST_ADMIN_EMAIL: "a@example.com" })).toMatch(
      /^FIRST_ADMIN_PASSWORD is missing/,
    );
  });
});

describe("public origins for the HTTPS redirect", () => {
  it("defaults to the https form of the CORS origins", () => {
    const config = loadConfig({
      ...production,
      CORS_ORIGINS: "https://admin.example.com,http://staging.example.com:8080",
    });
    expect(config.http.publicOrigins).toEqual([
      "https://admin.example.com",
      "https://staging.example.com:8080",
    ]);
  });

  it("takes PUBLIC_ORIGINS, bare https origins only", () => {
    const config = loadConfig({ ...production, PUBLIC_ORIGINS: "https://api.example.com" });
    expect(config.http.publicOrigins).toEqual(["https://api.example.com"]);
    expect(refusal({ ...production, PUBLIC_ORIGINS: "http://api.example.com" })).toMatch(
      /^PUBLIC_ORIGINS must be https origins/,
    );
    expect(refusal({ ...production, PUBLIC_ORIGINS: "https://api.example.com/v1" })).toMatch(
      /^PUBLIC_ORIGINS entries must be bare origins/,
    );
    expect(refusal({ ...production, PUBLIC_ORIGINS: "https://*.example.com" })).toMatch(
      /^PUBLIC_ORIGINS must not contain a wildcard/,
    );
  });
});

describe("deployment track for canary metrics", () => {
  it("is unset by default and takes short lowercase names", () => {
    expect(loadConfig(production).observability.track).toBeNull();
    expect(loadConfig({ ...production, TRACK: "canary" }).observability.track).toBe("canary");
    expect(refusal({ ...production, TRACK: 'Canary"}' })).toMatch(
      /^TRACK is invalid: must be a short lowercase name/,
    );
  });
});

describe("admin console", () => {
  const dataDir = () => mkdtempSync(path.join(tmpdir(), "cfg-admin-"));

  it("is served from apps/admin/dist by default, elsewhere with ADMIN_CONSOLE_DIR, and off with false", () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).http.adminConsoleDir).toBe(
      path.resolve("apps/admin/dist"),
    );
    expect(
      loadConfig({ DATA_DIR: dataDir(), ADMIN_CONSOLE_DIR: "/srv/console" }).http.adminConsoleDir,
    ).toBe("/srv/console");
    expect(loadConfig({ DATA_DIR: dataDir(), ADMIN_CONSOLE: "false" }).http.adminConsoleDir).toBe(
      null,
    );
    expect(refusal({ DATA_DIR: dataDir(), ADMIN_CONSOLE: "maybe" })).toContain("ADMIN_CONSOLE");
  });

  it("samples metrics every 15 s unless told, within 0.5-60 s", () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).observability.metricsSampleIntervalMs).toBe(15_000);
    expect(refusal({ DATA_DIR: dataDir(), METRICS_SAMPLE_INTERVAL_MS: "100" })).toContain(
      "METRICS_SAMPLE_INTERVAL_MS",
    );
  });
});
