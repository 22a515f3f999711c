import type { Call, Reply } from "./session";
import type { Auth, Credentials, TokenPair, World } from "./world";
import { JSON_HEADERS, parse, Session } from "./session";
import { authFrom } from "./world";

/** Refresh this long before the access token expires, as the app does. */
const EXPIRY_SKEW_MS = 2000;

/**
 * A session of the Android app: bearer auth, a proactive refresh when the access token is about
 * to expire, and one refresh then one repeat on a 401 (the app's single-flight Authenticator).
 * Subclasses plan logical calls from their state (`plan` has no side effects) and digest replies.
 */
export abstract class AppSession extends Session {
  protected auth: Auth | null = null;
  private mustRefresh = false;
  private repeatedAfter401 = false;
  private counted = false;

  constructor(protected readonly world: World) {
    super(world.random);
    world.counters.sessions++;
  }

  protected abstract plan(now: number): Call | null;
  protected abstract digest(call: Call, reply: Reply, now: number): void;

  protected step(now: number): Call | null {
    const call = this.plan(now);
    if (!call) return null;
    if (!call.authed || !this.auth) return call;
    if (this.mustRefresh || now >= this.auth.expiresAt - EXPIRY_SKEW_MS) {
      return {
        method: "POST",
        path: "/v1/auth/refresh",
        headers: JSON_HEADERS,
        body: JSON.stringify({ refreshToken: this.auth.refreshToken }),
      };
    }
    return {
      ...call,
      headers: { ...call.headers, authorization: `Bearer ${this.auth.accessToken}` },
    };
  }

  protected handle(call: Call, reply: Reply, now: number): void {
    if (call.path === "/v1/auth/refresh") {
      const body = parse<{ tokens?: TokenPair }>(reply);
      if (reply.status === 200 && body?.tokens) {
        this.auth = authFrom(body.tokens, now);
        this.mustRefresh = false;
        this.world.counters.refreshes++;
      } else {
        this.end(`refresh ${String(reply.status)}`);
      }
      return;
    }
    if (call.authed && reply.status === 401 && !this.repeatedAfter401) {
      this.repeatedAfter401 = true;
      this.mustRefresh = true;
      return;
    }
    if (call.authed && reply.status !== 401) this.repeatedAfter401 = false;
    this.digest(call, reply, now);
  }

  protected signIn(user: Credentials, path: "/v1/auth/login" | "/v1/auth/register"): Call {
    return { method: "POST", path, headers: JSON_HEADERS, body: JSON.stringify(user) };
  }

  /** Takes the tokens of a login/register reply; false (and the session failed) otherwise. */
  protected signedIn(reply: Reply, now: number): boolean {
    const body = parse<{ tokens?: TokenPair }>(reply);
    if ((reply.status === 200 || reply.status === 201) && body?.tokens) {
      this.auth = authFrom(body.tokens, now);
      return true;
    }
    this.end(`sign-in ${String(reply.status)}`);
    return false;
  }

  /** Ends the session; a reason marks it failed. */
  protected end(reason?: string): void {
    if (this.done) return;
    if (reason) this.fail(reason);
    else this.done = true;
  }

  override onReply(reply: Reply, now: number): void {
    const before = this.retries;
    super.onReply(reply, now);
    this.world.counters.retries += this.retries - before;
  }

  /** The next request; null once the session is over (counted once as completed or failed). */
  override next(now: number): Call | null {
    const call = super.next(now);
    if (!call && !this.counted) {
      this.counted = true;
      if (this.abandoned) {
        this.world.counters.abandoned++;
      } else if (this.failed) {
        this.world.counters.failed++;
        this.world.noteFailure(this.failed);
      } else {
        this.world.counters.completed++;
      }
    }
    return call;
  }
}
