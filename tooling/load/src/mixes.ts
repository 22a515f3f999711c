import type { Call, Reply } from "./session";
import type { World } from "./world";
import { AppSession } from "./app-session";
import { createImportCall, parse } from "./session";
import { contacts } from "./world";

/**
 * A session that borrows a signed-in app from the world's pool (logging in itself when the
 * pool is empty) and gives it back at the end, so the mix measures its own routes rather than
 * argon2.
 */
abstract class BorrowingSession extends AppSession {
  private needsLogin: boolean;

  constructor(world: World) {
    super(world);
    this.auth = world.idleAuths.pop() ?? null;
    this.needsLogin = this.auth === null;
  }

  protected abstract work(): Call | null;
  protected abstract digestWork(reply: Reply, now: number): void;

  protected plan(): Call | null {
    return this.needsLogin ? this.signIn(this.world.pickUser(), "/v1/auth/login") : this.work();
  }

  protected digest(_call: Call, reply: Reply, now: number): void {
    if (this.needsLogin) {
      if (this.signedIn(reply, now)) this.needsLogin = false;
      return;
    }
    this.digestWork(reply, now);
  }

  override next(now: number): Call | null {
    const call = super.next(now);
    if (!call && this.auth) {
      this.world.idleAuths.push(this.auth);
      this.auth = null;
    }
    return call;
  }
}

/** Login storm: many apps logging in at once (argon2id on the API's thread pool), then /v1/me. */
export class LoginSession extends AppSession {
  private step_ = 0;

  protected plan(): Call | null {
    if (this.step_ === 0) return this.signIn(this.world.pickUser(), "/v1/auth/login");
    if (this.step_ === 1) return { method: "GET", path: "/v1/me", authed: true, headers: {} };
    return null;
  }

  protected digest(_call: Call, reply: Reply, now: number): void {
    if (this.step_ === 0 && !this.signedIn(reply, now)) return;
    if (this.step_ === 1 && reply.status !== 200) {
      this.end(`me ${String(reply.status)}`);
      return;
    }
    this.step_++;
  }
}

/** Import burst: a keyed import of the maximum model size (500 contacts), polled to completion. */
export class ImportSession extends BorrowingSession {
  private importId = "";
  private polls = 0;
  private readonly key = `burst-${this.world.runId}-${String(this.world.counters.sessions)}`;
  private readonly body = JSON.stringify({
    source: "burst",
    defaultRegion: "KR",
    items: contacts(500, this.key),
  });

  protected work(): Call | null {
    if (!this.importId) {
      return createImportCall(this.key, this.body);
    }
    return this.done
      ? null
      : { method: "GET", path: `/v1/imports/${this.importId}`, authed: true, headers: {} };
  }

  protected digestWork(reply: Reply, now: number): void {
    const found = parse<{ import?: { id: string; status: string } }>(reply)?.import;
    if (!this.importId) {
      if (reply.status !== 202 || !found) {
        this.end(`create ${String(reply.status)}`);
        return;
      }
      this.importId = found.id;
      this.world.acceptedImports.add(found.id);
    } else if (found?.status === "completed") {
      this.end();
      return;
    } else if (reply.status !== 200 || found?.status === "failed" || ++this.polls > 180) {
      this.end(`poll ${String(reply.status)} ${found?.status ?? ""}`.trim());
      return;
    }
    this.readyAt = now + 1000;
  }
}

/** Read-heavy mix: the screens an app shows most (lists, an import, its items, the profile). */
export class ReadSession extends BorrowingSession {
  private index = 0;
  private importId: string | null = null;

  protected work(): Call | null {
    const authed = { authed: true as const, headers: {} };
    const paths = [
      "/v1/imports?limit=20",
      this.importId ? `/v1/imports/${this.importId}` : "/v1/me",
      this.importId ? `/v1/imports/${this.importId}/items?limit=50` : "/v1/imports?limit=5",
      "/v1/me",
      "/v1/imports?limit=20&status=completed",
    ];
    const path = paths[this.index];
    return path ? { method: "GET", path, ...authed } : null;
  }

  protected digestWork(reply: Reply): void {
    if (reply.status !== 200) {
      this.end(`read ${String(reply.status)}`);
      return;
    }
    if (this.index === 0) {
      this.importId = parse<{ items?: { id: string }[] }>(reply)?.items?.[0]?.id ?? null;
    }
    this.index++;
  }
}
