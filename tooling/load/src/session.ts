import type { RouteClass } from "./routes";
import { retryDelayMs } from "./retry";
import { routeClass } from "./routes";

/** One HTTP request a simulated client wants to send. */
export interface Call {
  method: "GET" | "POST" | "DELETE";
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Carries an Idempotency-Key (retried like a GET). */
  keyed?: boolean;
  /** Needs the bearer token (a 401 triggers one refresh, as the app's Authenticator does). */
  authed?: boolean;
}

/** What came back; null status 0 means an I/O failure (timeout, connection reset). */
export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export const IO_FAILURE: Reply = { status: 0, body: "", headers: {} };

export const JSON_HEADERS = { "content-type": "application/json; charset=UTF-8" };

/** The keyed upload of a prepared import body: every retry carries the same key, as the app's. */
export function createImportCall(key: string, body: string): Call {
  return {
    method: "POST",
    path: "/v1/imports",
    authed: true,
    keyed: true,
    headers: { ...JSON_HEADERS, "idempotency-key": key },
    body,
  };
}

export function header(reply: Reply, name: string): string | undefined {
  const value = reply.headers[name] ?? reply.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

// The caller names the shape it expects of the API's JSON; a mismatch shows up as a failed step.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function parse<T>(reply: Reply): T | null {
  try {
    return JSON.parse(reply.body) as T;
  } catch {
    return null;
  }
}

export function classOf(call: Call): RouteClass {
  return routeClass(call.method, call.path);
}

/**
 * A simulated app session: a state machine that says which request comes next and digests the
 * final reply of each (after the Android retry rules ran). `readyAt` is when it may send again
 * (think time, poll interval, backoff); the scheduler never sends before it unless it must.
 */
export abstract class Session {
  readyAt = 0;
  done = false;
  failed: string | null = null;
  retries = 0;
  private retrying: { call: Call; attempt: number; firstAt: number } | null = null;
  private current: { call: Call; attempt: number; firstAt: number } | null = null;

  constructor(protected readonly random: () => number = Math.random) {}

  /** The next logical request, or null when the session is over. */
  protected abstract step(now: number): Call | null;
  /** The final reply to `call` (retries exhausted or not needed). */
  protected abstract handle(call: Call, reply: Reply, now: number): void;

  next(now: number): Call | null {
    if (this.done) return null;
    if (this.retrying) {
      this.current = { ...this.retrying, attempt: this.retrying.attempt + 1 };
      this.retrying = null;
      return this.current.call;
    }
    const call = this.step(now);
    if (!call) {
      this.done = true;
      return null;
    }
    this.current = { call, attempt: 1, firstAt: now };
    return call;
  }

  onReply(reply: Reply, now: number): void {
    const current = this.current;
    if (!current) return;
    this.current = null;
    const errorCode = reply.status === 409 ? parse<{ code?: string }>(reply)?.code : undefined;
    const wait = retryDelayMs(
      {
        method: current.call.method,
        keyed: current.call.keyed ?? false,
        status: reply.status,
        errorCode,
        retryAfter: header(reply, "retry-after"),
      },
      current.attempt,
      now - current.firstAt,
      this.random,
      now,
    );
    if (wait !== null) {
      this.retries++;
      this.retrying = current;
      this.readyAt = now + wait;
      return;
    }
    this.handle(current.call, reply, now);
  }

  abandoned = false;

  /**
   * The generator stopped (end of a stage) before a reply came. A request that is safe to send
   * twice (GET, keyed) goes again next stage, same attempt; any other (a login, a refresh) may
   * have been carried out, so the session is dropped: neither completed nor failed.
   */
  rewind(): void {
    if (!this.current) return;
    const call = this.current.call;
    if (call.method === "GET" || call.method === "DELETE" || call.keyed) {
      this.retrying = { ...this.current, attempt: this.current.attempt - 1 };
    } else {
      this.abandoned = true;
      this.done = true;
    }
    this.current = null;
  }

  protected fail(reason: string): void {
    this.failed = reason;
    this.done = true;
  }
}
