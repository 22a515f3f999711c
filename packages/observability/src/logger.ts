import { Writable } from "node:stream";
import SonicBoom from "sonic-boom";
import winston from "winston";
import TransportStream from "winston-transport";

export type Logger = winston.Logger;

const SECRET_KEY =
  /pass(word)?|secret|token|authorization|cookie|idempotency|api[-_]?key|dsn|credential|private|email|phone/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** Anything shaped like a phone number: 7 to 15 digits, with the usual separators between. */
const PHONE = /(?<![\w.-])\+?\(?\d(?:[\s().-]{0,2}\d){6,14}(?![\w-])/g;
/** Bearer credentials and JWTs inside free text (an error message quoting a header). */
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;
/** user:password@ in a connection string or URL. */
const URL_CREDENTIALS = /\/\/[^/\s:@]+:[^@\s/]+@/g;
/** drizzle's failed-query errors append the bound parameters: values, hashes, contacts. */
const QUERY_PARAMS = /\nparams: [^\n]*/g;

/**
 * Fields the services fill themselves from checked values (request ids are charset-checked,
 * ids are UUIDs): kept as they are, so a UUID's digit run is not mistaken for a phone number.
 */
const TRUSTED_KEYS = new Set([
  "time",
  "level",
  "service",
  "requestId",
  "userId",
  "importId",
  "jobId",
  "deadLetterId",
  "sessionId",
  "route",
  "method",
]);

/** Scrubs one string: emails, phone numbers, bearer credentials and JWTs. */
export function scrubText(text: string): string {
  return text
    .replace(QUERY_PARAMS, "\nparams: [redacted]")
    .replace(URL_CREDENTIALS, "//[redacted]@")
    .replace(EMAIL, "[email]")
    .replace(BEARER, "$1 [redacted]")
    .replace(JWT, "[jwt]")
    .replace(PHONE, "[phone]");
}

/** Never let a secret, an email address or a phone number through, whatever the caller passed. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 6) return "[truncated]";
  if (value instanceof Error) {
    return {
      name: value.name,
      message: scrubText(value.message),
      stack: value.stack ? scrubText(value.stack) : undefined,
    };
  }
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
    if (TRUSTED_KEYS.has(key) && typeof info[key] === "string" && /^[\w.:-]*$/.test(info[key]))
      continue;
    info[key] = SECRET_KEY.test(key) ? "[redacted]" : scrub(info[key]);
  }
  return info;
});

const stamp = winston.format((info) => {
  info.time = new Date().toISOString();
  return info;
});

let stdout: SonicBoom | undefined;

/**
 * stdout as winston's Console transport writes it is synchronous on Linux (files and pipes
 * alike): one blocking write(2) per line on the request path. sonic-boom writes asynchronously
 * and joins the lines that queue while a write is in flight into the next one; whatever is
 * still queued when the process exits (normally, by `process.exit`, or on an uncaught error) is
 * written synchronously then. Only a SIGKILL can lose the last few lines.
 */
function bufferedStdout(): SonicBoom {
  if (stdout) return stdout;
  const stream = new SonicBoom({ fd: process.stdout.fd, sync: false });
  process.once("exit", () => {
    stream.flushSync();
  });
  stdout = stream;
  return stream;
}

/** winston's formatted line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for("message");

class StdoutTransport extends TransportStream {
  override log(info: Record<symbol, unknown>, next: () => void): void {
    bufferedStdout().write(`${String(info[MESSAGE])}\n`);
    next();
  }
}

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
    transports: [new StdoutTransport()],
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
