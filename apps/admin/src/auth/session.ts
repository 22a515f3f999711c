import type { ConsoleSession, User } from "@runway/contracts";

/** What the console's sign-in procedures answer (the refresh token stays in its cookie). */
export type { ConsoleSession };

export type SessionState =
  | { status: "starting" }
  | { status: "signed-out"; message: string | null }
  | { status: "signed-in"; user: User };

export interface SessionApi {
  refresh: () => Promise<ConsoleSession>;
  signOut: () => Promise<void>;
}

/** A refresh failure that means the session is over (as opposed to a network blip). */
export class SessionEndedError extends Error {}

const ENDED_MESSAGES: Record<string, string> = {
  REFRESH_TOKEN_REUSED:
    "Your session was ended because its sign-in token was used twice. Sign in again.",
  SESSION_EXPIRED: "Your session expired. Sign in again.",
  INVALID_REFRESH_TOKEN: "You were signed out. Sign in again.",
  FORBIDDEN: "This account no longer has the admin role.",
};

export function endedMessage(code: string | undefined): string | null {
  return code ? (ENDED_MESSAGES[code] ?? null) : null;
}

/**
 * The console's session, in memory only: the access token never touches localStorage or
 * sessionStorage, and the refresh token is an httpOnly cookie script cannot read.
 * Refreshes happen before expiry and on a 401, one at a time: parallel callers share the
 * refresh in flight (the server would otherwise see the same cookie twice).
 */
export class SessionManager {
  private token: string | null = null;
  private expiresAt = 0;
  private inFlight: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private state: SessionState = { status: "starting" };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly api: SessionApi,
    private readonly errorCode: (error: unknown) => string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SessionState => this.state;

  private setState(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }

  /** Adopts a session from sign-in or refresh and schedules the next refresh before expiry. */
  accept(session: ConsoleSession): void {
    this.token = session.accessToken;
    this.expiresAt = this.now() + session.expiresIn * 1000;
    if (this.timer) clearTimeout(this.timer);
    // At 80% of the lifetime, so a slow network still beats the expiry.
    const delay = Math.max(1000, session.expiresIn * 800);
    this.timer = setTimeout(() => {
      this.refresh().catch(() => undefined);
    }, delay);
    if (this.state.status !== "signed-in" || this.state.user.id !== session.user.id) {
      this.setState({ status: "signed-in", user: session.user });
    }
  }

  /** Rotates the cookie for a new access token; concurrent callers share one request. */
  refresh(): Promise<string> {
    this.inFlight ??= this.api
      .refresh()
      .then((session) => {
        this.accept(session);
        return session.accessToken;
      })
      .catch((error: unknown) => {
        const code = this.errorCode(error);
        const message = endedMessage(code);
        const starting = this.state.status === "starting";
        if (message !== null) {
          // Opening the console without a cookie is the ordinary signed-out start, not news.
          this.end(starting && code === "INVALID_REFRESH_TOKEN" ? null : message);
          throw new SessionEndedError(message);
        }
        if (starting) this.end("Could not reach the Runway API. Reload to try again.");
        throw error;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  /** A token good for at least a few more seconds, refreshing first when needed. */
  async accessToken(): Promise<string> {
    if (this.token && this.expiresAt - this.now() > 5000) return this.token;
    return this.refresh();
  }

  private end(message: string | null): void {
    this.token = null;
    this.expiresAt = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.setState({ status: "signed-out", message });
  }

  async signOut(): Promise<void> {
    try {
      await this.api.signOut();
    } finally {
      this.end(null);
    }
  }
}
