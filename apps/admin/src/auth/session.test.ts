import { afterEach, describe, expect, it, vi } from "vitest";

import type { ConsoleSession } from "./session";
import { SessionEndedError, SessionManager } from "./session";

const user = {
  id: "6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11",
  email: "admin@example.com",
  displayName: null,
  roles: ["admin" as const, "user" as const],
  createdAt: "2026-11-26T10:00:00.000Z",
};
const session = (token: string, expiresIn = 900): ConsoleSession => ({
  user,
  accessToken: token,
  expiresIn,
});
class CodedError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}
const codeOf = (error: unknown) => (error instanceof CodedError ? error.code : undefined);

afterEach(() => {
  vi.useRealTimers();
});

/** A manager whose every refresh fails with `error`; sign-out always works. */
function refreshFailingWith(error: Error) {
  return new SessionManager(
    { refresh: () => Promise.reject(error), signOut: () => Promise.resolve() },
    codeOf,
  );
}

describe("SessionManager", () => {
  it("shares one refresh among parallel callers (single flight)", async () => {
    let calls = 0;
    let release: (value: ConsoleSession) => void = () => undefined;
    const api = {
      refresh: () => {
        calls++;
        return new Promise<ConsoleSession>((resolve) => {
          release = resolve;
        });
      },
      signOut: () => Promise.resolve(),
    };
    const manager = new SessionManager(api, codeOf);
    const waiting = [manager.accessToken(), manager.refresh(), manager.accessToken()];
    release(session("token-1"));
    expect(await Promise.all(waiting)).toEqual(["token-1", "token-1", "token-1"]);
    expect(calls).toBe(1);
    expect(manager.getState()).toMatchObject({ status: "signed-in" });
    // Once settled, a later refresh is a new request.
    const next = manager.refresh();
    release(session("token-2"));
    expect(await next).toBe("token-2");
    expect(calls).toBe(2);
  });

  it("refreshes before expiry on its own, and reuses a fresh token without calling", async () => {
    vi.useFakeTimers();
    const refresh = vi.fn(() => Promise.resolve(session("renewed", 60)));
    const manager = new SessionManager({ refresh, signOut: () => Promise.resolve() }, codeOf);
    manager.accept(session("first", 60));
    expect(await manager.accessToken()).toBe("first");
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(47_000);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(await manager.accessToken()).toBe("renewed");
  });

  it("signs out with a message when the refresh token was reused", async () => {
    const manager = refreshFailingWith(new CodedError("REFRESH_TOKEN_REUSED"));
    manager.accept(session("first"));
    await expect(manager.refresh()).rejects.toBeInstanceOf(SessionEndedError);
    const state = manager.getState();
    expect(state.status).toBe("signed-out");
    expect(state.status === "signed-out" && state.message).toMatch(/used twice/);
  });

  it("opens signed out, without a message, when there is no cookie yet", async () => {
    const manager = refreshFailingWith(new CodedError("INVALID_REFRESH_TOKEN"));
    const states: string[] = [];
    manager.subscribe(() => states.push(manager.getState().status));
    await expect(manager.refresh()).rejects.toBeInstanceOf(SessionEndedError);
    expect(manager.getState()).toEqual({ status: "signed-out", message: null });
    expect(states).toEqual(["signed-out"]);
  });

  it("keeps the session through a network failure once signed in", async () => {
    const manager = refreshFailingWith(new TypeError("Failed to fetch"));
    manager.accept(session("first"));
    await expect(manager.refresh()).rejects.toBeInstanceOf(TypeError);
    expect(manager.getState().status).toBe("signed-in");
  });

  it("sign-out ends the session locally even when the API call fails", async () => {
    const manager = new SessionManager(
      {
        refresh: () => Promise.resolve(session("x")),
        signOut: () => Promise.reject(new TypeError("offline")),
      },
      codeOf,
    );
    manager.accept(session("first"));
    await expect(manager.signOut()).rejects.toBeInstanceOf(TypeError);
    expect(manager.getState()).toEqual({ status: "signed-out", message: null });
  });
});
