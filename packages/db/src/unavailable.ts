/**
 * postgres.js and Node network codes for a connection the server or network took away.
 * CONNECTION_ENDED and CONNECTION_DESTROYED are left out: they mean this process closed its own
 * pool, a bug or a shutdown in progress, not an outage to wait out.
 */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "CONNECTION_CLOSED",
  "CONNECT_TIMEOUT",
]);

/**
 * SQLSTATEs of a server that is restarting, shutting down or full: class 08 (connection
 * exception), admin/crash shutdown, "cannot connect now" and too many connections.
 */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * True when `error` (or anything in its `cause` chain, as drizzle wraps driver errors) says the
 * database is unreachable rather than that the query was wrong: the request may be retried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string") {
      if (
        CONNECTION_CODES.has(code) ||
        UNAVAILABLE_STATES.has(code) ||
        /^08[0-9A-Z]{3}$/.test(code)
      )
        return true;
    }
    current = cause;
  }
  return false;
}

/** Seconds a client should wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;
