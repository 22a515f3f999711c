import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { auditEvents, refreshTokens, revokedSessions, sessions } from "@runway/db";

import { backends, coreFor, testClock, useBackend } from "../test/databases";
import { authenticate, logout, refreshSession } from "./sessions";
import { changePassword, login, logoutAll, register } from "./users";

const meta = { requestId: "test" };
let counter = 0;
const password = "correct horse battery staple";
const email = () => `user${++counter}-${Date.now()}@example.com`;

describe.each(backends)("sessions on $name", (backend) => {
  const handle = useBackend(backend);

  /** A fresh user's tokens on a core whose clock the test moves. */
  async function registeredOnClock() {
    const clock = testClock();
    const core = coreFor(handle(), {}, clock.now);
    const { tokens } = await register(core, { email: email(), password }, meta);
    return { clock, core, tokens };
  }

  it("rotates on every refresh and keeps only hashes", async () => {
    const core = coreFor(handle());
    const { tokens, user } = await register(core, { email: email(), password }, meta);
    const next = await refreshSession(core, tokens.refreshToken, meta);
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(authenticate(core, next.accessToken).userId).toBe(user.id);
    const stored = await handle().db.select({ hash: refreshTokens.tokenHash }).from(refreshTokens);
    const values = stored.map((row) => row.hash);
    expect(values).not.toContain(tokens.refreshToken);
    expect(values).not.toContain(next.refreshToken);
    expect(values.every((value) => /^[0-9a-f]{64}$/.test(value))).toBe(true);
  });

  it("hands the same child back when the parent is replayed within the reuse interval", async () => {
    const { clock, core, tokens } = await registeredOnClock();
    const first = await refreshSession(core, tokens.refreshToken, meta);
    clock.advance(5);
    const again = await refreshSession(core, tokens.refreshToken, meta);
    expect(again.refreshToken).toBe(first.refreshToken);
    // The family is intact: the child still rotates.
    await expect(refreshSession(core, first.refreshToken, meta)).resolves.toBeTruthy();
  });

  it("revokes the whole family on reuse, commits it, and refuses every descendant", async () => {
    const { clock, core, tokens } = await registeredOnClock();
    const child = await refreshSession(core, tokens.refreshToken, meta);
    clock.advance(11);
    await expect(refreshSession(core, tokens.refreshToken, meta)).rejects.toMatchObject({
      code: "REFRESH_TOKEN_REUSED",
    });

    const { sessionId } = authenticateUnchecked(core, child.accessToken);
    // Read through a fresh query: the revocation is committed, not rolled back with the error.
    const [session] = await handle().db.select().from(sessions).where(eq(sessions.id, sessionId));
    expect(session?.revokedReason).toBe("reuse_detected");
    const revoked = await handle()
      .db.select()
      .from(revokedSessions)
      .where(eq(revokedSessions.sessionId, sessionId));
    expect(revoked).toHaveLength(1);
    const audit = await handle()
      .db.select()
      .from(auditEvents)
      .where(eq(auditEvents.sessionId, sessionId));
    expect(audit.map((event) => event.type)).toContain("auth.refresh_reuse_detected");

    await expect(refreshSession(core, child.refreshToken, meta)).rejects.toMatchObject({
      code: "INVALID_REFRESH_TOKEN",
    });
    expect(() => authenticate(core, child.accessToken)).toThrow();
  });

  it("treats an older ancestor as reuse even inside the interval", async () => {
    const { clock, core, tokens } = await registeredOnClock();
    const second = await refreshSession(core, tokens.refreshToken, meta);
    await refreshSession(core, second.refreshToken, meta);
    clock.advance(1);
    await expect(refreshSession(core, tokens.refreshToken, meta)).rejects.toMatchObject({
      code: "REFRESH_TOKEN_REUSED",
    });
  });

  it("rotates exactly once under concurrent refreshes of one token", async () => {
    const core = coreFor(handle());
    const { tokens } = await register(core, { email: email(), password }, meta);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => refreshSession(core, tokens.refreshToken, meta)),
    );
    const fulfilled = results.flatMap((r) =>
      r.status === "fulfilled" ? [r.value.refreshToken] : [],
    );
    expect(fulfilled).toHaveLength(8);
    expect(new Set(fulfilled).size).toBe(1);
    const { sessionId } = authenticateUnchecked(core, tokens.accessToken);
    const chain = await handle()
      .db.select()
      .from(refreshTokens)
      .where(eq(refreshTokens.sessionId, sessionId));
    expect(chain).toHaveLength(2);
    // The seven that lost the race wrote nothing: one rotation, audited once.
    const audited = await handle()
      .db.select({ type: auditEvents.type })
      .from(auditEvents)
      .where(eq(auditEvents.sessionId, sessionId));
    expect(audited.map((row) => row.type).sort()).toEqual(["auth.refresh", "user.registered"]);
  });

  it("ends idle and over-age sessions", async () => {
    const clock = testClock();
    const core = coreFor(handle(), { refreshIdleTtl: 60, refreshAbsoluteTtl: 150 }, clock.now);
    const idle = await register(core, { email: email(), password }, meta);
    clock.advance(61);
    await expect(refreshSession(core, idle.tokens.refreshToken, meta)).rejects.toMatchObject({
      code: "SESSION_EXPIRED",
    });

    const aged = await login(core, { email: idle.user.email, password }, meta);
    let token = aged.tokens.refreshToken;
    for (let i = 0; i < 2; i++) {
      clock.advance(50);
      token = (await refreshSession(core, token, meta)).refreshToken;
    }
    // Never idle for a full minute, yet past the 150 s absolute lifetime.
    clock.advance(51);
    await expect(refreshSession(core, token, meta)).rejects.toMatchObject({
      code: "SESSION_EXPIRED",
    });
  });

  it("reports refreshExpiresIn capped by the absolute lifetime", async () => {
    const clock = testClock();
    const core = coreFor(handle(), { refreshIdleTtl: 100, refreshAbsoluteTtl: 150 }, clock.now);
    const { tokens } = await register(core, { email: email(), password }, meta);
    expect(tokens.refreshExpiresIn).toBe(100);
    clock.advance(90);
    expect((await refreshSession(core, tokens.refreshToken, meta)).refreshExpiresIn).toBe(60);
  });

  it("logout ends one session; its access tokens stop at once", async () => {
    const core = coreFor(handle());
    const first = await register(core, { email: email(), password }, meta);
    const second = await login(core, { email: first.user.email, password }, meta);
    await logout(core, first.tokens.refreshToken, meta);
    expect(() => authenticate(core, first.tokens.accessToken)).toThrow();
    expect(authenticate(core, second.tokens.accessToken).userId).toBe(first.user.id);
    await expect(refreshSession(core, first.tokens.refreshToken, meta)).rejects.toMatchObject({
      code: "INVALID_REFRESH_TOKEN",
    });
    await expect(logout(core, "unknown-token", meta)).resolves.toBeUndefined();
  });

  it("logout-all ends every session; password change ends all but the caller's", async () => {
    const core = coreFor(handle());
    const a = await register(core, { email: email(), password }, meta);
    const b = await login(core, { email: a.user.email, password }, meta);
    const c = await login(core, { email: a.user.email, password }, meta);
    await changePassword(
      core,
      authenticate(core, c.tokens.accessToken),
      { currentPassword: password, newPassword: "violet-tugboat-47-quartz" },
      meta,
    );
    expect(() => authenticate(core, a.tokens.accessToken)).toThrow();
    expect(() => authenticate(core, b.tokens.accessToken)).toThrow();
    expect(authenticate(core, c.tokens.accessToken).userId).toBe(a.user.id);
    await expect(login(core, { email: a.user.email, password }, meta)).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
    });

    const d = await login(
      core,
      { email: a.user.email, password: "violet-tugboat-47-quartz" },
      meta,
    );
    await logoutAll(core, authenticate(core, d.tokens.accessToken), meta);
    expect(() => authenticate(core, c.tokens.accessToken)).toThrow();
    expect(() => authenticate(core, d.tokens.accessToken)).toThrow();
    await expect(refreshSession(core, d.tokens.refreshToken, meta)).rejects.toMatchObject({
      code: "INVALID_REFRESH_TOKEN",
    });
  });

  it("spreads revocations to other replicas through the revoked_sessions table", async () => {
    const replicaA = coreFor(handle());
    const replicaB = coreFor(handle());
    await replicaB.revocations.sync();
    const { tokens } = await register(replicaA, { email: email(), password }, meta);
    expect(authenticate(replicaB, tokens.accessToken)).toBeTruthy();
    await logout(replicaA, tokens.refreshToken, meta);
    expect(() => authenticate(replicaA, tokens.accessToken)).toThrow();
    await replicaB.revocations.sync();
    expect(() => authenticate(replicaB, tokens.accessToken)).toThrow();
    // A replica that starts later loads every unexpired revocation.
    const replicaC = coreFor(handle());
    await replicaC.revocations.sync();
    expect(() => authenticate(replicaC, tokens.accessToken)).toThrow();
  });
});

/** Reads the session id from a token without consulting the revocation list. */
function authenticateUnchecked(core: ReturnType<typeof coreFor>, accessToken: string) {
  return core.tokens.verify(accessToken, core.now());
}
