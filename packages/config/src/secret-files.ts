import { readFileSync } from "node:fs";

import { fail } from "./errors";

/**
 * The variables that may hold a secret. Each has a `<NAME>_FILE` twin naming a file to read it
 * from instead (Docker and Kubernetes secrets are mounted as files), so the value stays out of
 * the process environment, `docker inspect` and the pod spec.
 */
export const SECRET_VARIABLES = [
  "JWT_SECRET",
  "JWT_SECRET_PREVIOUS",
  "PII_HASH_KEY",
  "METRICS_TOKEN",
  "SENTRY_DSN",
  "SLACK_WEBHOOK_URL",
  "PAGERDUTY_ROUTING_KEY",
  "DATABASE_URL",
  "REDIS_URL",
] as const;

type Source = Record<string, string | undefined>;

const isSet = (value: string | undefined): value is string => value !== undefined && value !== "";

function readSecretFile(variable: string, file: string): string {
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    fail(`${variable}_FILE`, `cannot be read (${reason}: ${file})`);
  }
  // `echo secret > file` and most editors end the file with a newline that is not the secret.
  const value = content.replace(/(\r?\n)+$/, "");
  if (value === "") fail(`${variable}_FILE`, `names an empty file (${file})`);
  return value;
}

/**
 * The environment with every `<NAME>_FILE` replaced by `<NAME>` holding the file's content, so
 * a secret read from a file passes through exactly the checks of one set directly.
 */
export function withSecretFiles(source: Source): Source {
  const resolved: Source = { ...source };
  for (const variable of SECRET_VARIABLES) {
    const file = source[`${variable}_FILE`];
    if (!isSet(file)) continue;
    if (isSet(source[variable])) {
      fail(`${variable}_FILE`, `and ${variable} are both set: set only one`);
    }
    resolved[variable] = readSecretFile(variable, file);
  }
  return resolved;
}
