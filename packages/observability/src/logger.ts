import { Writable } from "node:stream";
import winston from "winston";

export type Logger = winston.Logger;

const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|idempotency|api[-_]?key/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Never let a secret or an email address reach a log line, whatever the caller passed. */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(EMAIL, "[email]");
  if (depth > 5 || value === null || typeof value !== "object") return value;
  if (value instanceof Error)
    return { name: value.name, message: scrub(value.message, depth + 1), stack: value.stack };
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEY.test(key) ? "[redacted]" : scrub(item, depth + 1),
    ]),
  );
}

const redact = winston.format((info) => {
  for (const key of Object.keys(info)) {
    const current = info[key];
    info[key] = SECRET_KEY.test(key) ? "[redacted]" : scrub(current);
  }
  return info;
});

const stamp = winston.format((info) => {
  info.time = new Date().toISOString();
  return info;
});

/** JSON lines on stdout: time, level, message, service and whatever context the call adds. */
export function createLogger(options: {
  service: string;
  level?: string;
  silent?: boolean;
}): Logger {
  return winston.createLogger({
    level: options.level ?? "info",
    silent: options.silent ?? false,
    defaultMeta: { service: options.service },
    format: winston.format.combine(stamp(), redact(), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
}

/**
 * A logger whose formatted JSON lines are kept in memory: for tests that check what reaches
 * the logs (redaction, request ids, no PII).
 */
export function createCapturingLogger(service: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ service });
  logger.clear();
  logger.add(
    new winston.transports.Stream({
      stream: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString());
          callback();
        },
      }),
    }),
  );
  return { logger, lines };
}
