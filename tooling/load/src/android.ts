import type { Call, Reply } from "./session";
import type { Credentials, World } from "./world";
import { AppSession } from "./app-session";
import { createImportCall, JSON_HEADERS, parse } from "./session";
import { contacts, PASSWORD } from "./world";

export interface AndroidOptions {
  /** Share of sessions that sign up instead of logging in. */
  signupShare: number;
  minItems: number;
  maxItems: number;
  pollIntervalMs: number;
  /** Give up polling (the session fails) after this long. */
  pollTimeoutMs: number;
  /** The app in the background before the user comes back to the list: up to this long. */
  maxIdleMs: number;
}

export const ANDROID_DEFAULTS: AndroidOptions = {
  signupShare: 0.2,
  minItems: 50,
  maxItems: 500,
  pollIntervalMs: 1000,
  pollTimeoutMs: 120_000,
  maxIdleMs: 40_000,
};

type Phase = "auth" | "list" | "create" | "poll" | "items" | "revisit" | "logout" | "over";

interface ImportBody {
  import?: { id: string; status: string };
}

/**
 * The Android traffic model: sign up or log in, list imports, create a keyed import of 50-500
 * contacts, poll it to completion, page its items, come back to the list after a while in the
 * background (the access token may have expired: refresh first), log out.
 */
export class AndroidSession extends AppSession {
  private phase: Phase = "auth";
  private readonly signup: boolean;
  private readonly user: Credentials;
  private readonly key: string;
  private readonly body: string;
  private importId = "";
  private cursor: string | null = null;
  private pollingSince = 0;

  constructor(
    world: World,
    private readonly options: AndroidOptions = ANDROID_DEFAULTS,
  ) {
    super(world);
    this.signup = world.random() < options.signupShare;
    this.user = this.signup ? { email: world.newEmail(), password: PASSWORD } : world.pickUser();
    this.key = `android-${world.runId}-${String(world.counters.sessions)}`;
    const span = options.maxItems - options.minItems;
    const items = options.minItems + Math.floor(world.random() * (span + 1));
    this.body = JSON.stringify({
      source: "android",
      defaultRegion: "KR",
      items: contacts(items, this.key),
    });
  }

  protected plan(): Call | null {
    const authed = { authed: true, headers: {} };
    switch (this.phase) {
      case "auth":
        return this.signIn(this.user, this.signup ? "/v1/auth/register" : "/v1/auth/login");
      case "list":
      case "revisit":
        return { method: "GET", path: "/v1/imports?limit=20", ...authed };
      case "create":
        return createImportCall(this.key, this.body);
      case "poll":
        return { method: "GET", path: `/v1/imports/${this.importId}`, ...authed };
      case "items": {
        const cursor = this.cursor ? `&cursor=${encodeURIComponent(this.cursor)}` : "";
        return {
          method: "GET",
          path: `/v1/imports/${this.importId}/items?limit=100${cursor}`,
          ...authed,
        };
      }
      case "logout":
        return {
          method: "POST",
          path: "/v1/auth/logout",
          headers: JSON_HEADERS,
          body: JSON.stringify({ refreshToken: this.auth?.refreshToken ?? "" }),
        };
      case "over":
        return null;
    }
  }

  /** Ends the session, naming the call and its status, unless the reply was `expected`. */
  private endUnless(expected: boolean, call: string, reply: Reply): boolean {
    if (!expected) this.end(`${call} ${String(reply.status)}`);
    return !expected;
  }

  protected digest(_call: Call, reply: Reply, now: number): void {
    const ok = reply.status >= 200 && reply.status < 300;
    switch (this.phase) {
      case "auth":
        if (this.signedIn(reply, now)) this.phase = "list";
        return;
      case "list":
        if (this.endUnless(ok, "list", reply)) return;
        this.phase = "create";
        return;
      case "create": {
        const created = parse<ImportBody>(reply)?.import;
        if (reply.status !== 202 || !created) {
          this.end(`create ${String(reply.status)}`);
          return;
        }
        this.world.acceptedImports.add(created.id);
        this.importId = created.id;
        this.phase = "poll";
        this.pollingSince = now;
        this.readyAt = now + this.options.pollIntervalMs;
        return;
      }
      case "poll": {
        const status = parse<ImportBody>(reply)?.import?.status;
        if (!ok || !status) {
          this.end(`poll ${String(reply.status)}`);
          return;
        }
        if (status === "completed") this.phase = "items";
        else if (status === "failed") {
          this.end("import failed");
          return;
        } else if (now - this.pollingSince > this.options.pollTimeoutMs) {
          this.end("import too slow");
          return;
        } else this.readyAt = now + this.options.pollIntervalMs;
        return;
      }
      case "items": {
        if (this.endUnless(ok, "items", reply)) return;
        this.cursor = parse<{ nextCursor?: string | null }>(reply)?.nextCursor ?? null;
        if (!this.cursor) {
          this.phase = "revisit";
          this.readyAt = now + Math.floor(this.world.random() * this.options.maxIdleMs);
        }
        return;
      }
      case "revisit":
        if (this.endUnless(ok, "revisit", reply)) return;
        this.phase = "logout";
        return;
      case "logout":
        if (this.endUnless(reply.status === 204, "logout", reply)) return;
        this.phase = "over";
        return;
      case "over":
        return;
    }
  }
}
