import { expect } from "vitest";

import { ConfigError, loadConfig } from "../src/index";

/** Strong secrets by the policy, for the test environments. */
export const STRONG = "k3J9vQ2mX8pL5rT1wZ6yB4nC7dF0gH2jK5mN8qR1tV4xY7zA";
export const PII_KEY = "Zq8Lr2Vx7Nc4Tb9Wm1Ks6Hd3Jf0Gp5Ya8Ue2Io7Pl4Qw9";

/** The least a production configuration needs. */
export const production = {
  NODE_ENV: "production",
  JWT_SECRET: STRONG,
  DATABASE_URL: "postgres://runway@db.internal:5432/runway",
  CORS_ORIGINS: "https://admin.example.com",
  PII_HASH_KEY: PII_KEY,
};

/** The ConfigError message loadConfig refuses `env` with. */
export function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
}
