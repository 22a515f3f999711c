import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import type { Config } from "./index";
import { PII_KEY, production, refusal, STRONG } from "../test/env";
import { loadConfig, SECRET_VARIABLES } from "./index";

const OTHER = "q3x0dYQ7bmJc6mO2g9pU4XUMx8s1aRk0Wl9bP3zTgQE=";

function secretFile(content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "runway-secret-")), "secret");
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

/** `production` with `variable` read from a file holding `content` instead. */
function fromFile(variable: string, content: string): Record<string, string> {
  const others = Object.entries(production).filter(([name]) => name !== variable);
  return { ...Object.fromEntries(others), [`${variable}_FILE`]: secretFile(content) };
}

const cases: [string, string, (config: Config) => unknown][] = [
  ["JWT_SECRET", STRONG, (config) => config.auth.jwtSecret],
  ["JWT_SECRET_PREVIOUS", OTHER, (config) => config.auth.jwtSecretPrevious],
  ["PII_HASH_KEY", PII_KEY, (config) => config.piiHashKey],
  ["METRICS_TOKEN", OTHER, (config) => config.observability.metricsToken],
  ["SENTRY_DSN", "https://k3y@sentry.example.com/7", (config) => config.observability.sentry?.dsn],
  [
    "SLACK_WEBHOOK_URL",
    "https://hooks.slack.example.com/services/T0/B0/x",
    (config) => config.observability.alerts.slackWebhookUrl,
  ],
  [
    "PAGERDUTY_ROUTING_KEY",
    "R0UT1NGK3Y",
    (config) => config.observability.alerts.pagerduty?.routingKey,
  ],
  [
    "DATABASE_URL",
    "postgres://runway:pw@db.internal:5432/runway",
    (config) => (config.database.kind === "postgres" ? config.database.url : null),
  ],
  ["REDIS_URL", "rediss://:pw@cache.internal:6380", (config) => config.jobs.redisUrl],
];

describe("<SECRET>_FILE twins for Docker and Kubernetes secrets", () => {
  it("covers every secret variable", () => {
    expect(cases.map(([variable]) => variable)).toEqual([...SECRET_VARIABLES]);
  });

  it.each(cases)("reads %s from its file, without the trailing newline", (variable, value, get) => {
    expect(get(loadConfig(fromFile(variable, `${value}\n`)))).toBe(value);
    expect(get(loadConfig(fromFile(variable, `${value}\r\n`)))).toBe(value);
  });

  it.each(SECRET_VARIABLES)("refuses %s together with its _FILE twin", (variable) => {
    const message = refusal({
      ...production,
      [variable]: OTHER,
      [`${variable}_FILE`]: secretFile(OTHER),
    });
    expect(message).toBe(`${variable}_FILE and ${variable} are both set: set only one`);
  });

  it("names the variable and the file, not the secret, when the file is missing or unreadable", () => {
    const missing = path.join(tmpdir(), "runway-no-such-secret");
    expect(refusal({ ...fromFile("JWT_SECRET", STRONG), JWT_SECRET_FILE: missing })).toBe(
      `JWT_SECRET_FILE cannot be read (ENOENT: ${missing})`,
    );
    const directory = mkdtempSync(path.join(tmpdir(), "runway-secret-dir-"));
    expect(refusal({ ...fromFile("PII_HASH_KEY", PII_KEY), PII_HASH_KEY_FILE: directory })).toBe(
      `PII_HASH_KEY_FILE cannot be read (EISDIR: ${directory})`,
    );
  });

  it("refuses an empty file, which is never a secret", () => {
    expect(refusal(fromFile("METRICS_TOKEN", "\n"))).toMatch(
      /^METRICS_TOKEN_FILE names an empty file/,
    );
  });

  it("treats an empty _FILE variable as unset", () => {
    expect(loadConfig({ ...production, REDIS_URL_FILE: "" }).jobs.redisUrl).toBeNull();
  });

  it.each([
    [fromFile("JWT_SECRET", "supersecret\n"), /^JWT_SECRET is too weak/, "supersecret"],
    [
      fromFile("JWT_SECRET", `${"changeme".repeat(8)}\n`),
      /^JWT_SECRET looks like a placeholder/,
      "changeme",
    ],
    [fromFile("PII_HASH_KEY", `${STRONG}\n`), /^PII_HASH_KEY must differ from JWT_SECRET/, STRONG],
    [
      fromFile("METRICS_TOKEN", "0123456789abcdef\n"),
      /^METRICS_TOKEN is too weak/,
      "0123456789abcdef",
    ],
    [
      fromFile("DATABASE_URL", "mysql://root:hunter2@db/x\n"),
      /^DATABASE_URL is invalid/,
      "hunter2",
    ],
  ])("applies the same policy to the file's content (%#)", (env, message, secret) => {
    const text = refusal(env);
    expect(text).toMatch(message);
    expect(text).not.toContain(secret);
    expect(text).not.toContain("\n");
  });
});
