import { randomUUID } from "node:crypto";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { and, eq, isNull, ne, sql } from "drizzle-orm";

import type { Tokens } from "@runway/contracts";
import type { Executor } from "@runway/db";
import { auditEvents, refreshTokens, revokedSessions, sessions } from "@runway/db";

import type { Core, RequestMeta } from "./context";
import { CLOCK_LEEWAY_SECONDS } from "./access-token";
import { recordAudit } from "./audit";
import { hmacSha256, randomToken, sha256Hex, utf8 } from "./crypto";
import { AppError } from "./errors";
import { rowsOf } from "./prepared";

type SessionRow = typeof sessions.$inferSelect;

export type RevokeReason =
  "logout" | "logout_all" | "password_changed" | "reuse_detected" | "expired" | "admin";

/**
 * A child token is derived from its parent with a server key instead of drawn at random, so
 * that a client whose refresh response was lost can be handed the same child again while we
 * keep only hashes. Without the key the child is as unpredictable as a random token.
 */
function deriveChildToken(secret: string, parentToken: string): string {
  const key = hmacSha256(utf8.encode(secret), "runway refresh-token derivation v1");
  return encodeBase64urlNoPadding(hmacSha256(key, parentToken));
}

function refreshExpiresAt(core: Core, session: Pick<SessionRow, "expiresAt">, now: Date): Date {
  const idleEnd = now.getTime() + core.auth.refreshIdleTtl * 1000;
  return new Date(Math.min(idleEnd, session.expiresAt.getTime()));
}

function tokensFor(
  core: Core,
  userId: string,
  session: Pick<SessionRow, "id" | "expiresAt">,
  refreshToken: string,
  now: Date,
): Tokens {
  return {
    accessToken: core.tokens.sign(userId, session.id, now),
    refreshToken,
    tokenType: "Bearer",
    expiresIn: core.tokens.ttlSeconds,
    refreshExpiresIn: Math.max(
      0,
      Math.floor((refreshExpiresAt(core, session, now).getTime() - now.getTime()) / 1000),
    ),
  };
}

/** The audit event a sign-in records with the session it opens. */
export interface SignInEvent {
  type: "user.registered" | "auth.login";
  emailMasked: string;
  requestId: string | null;
}

/**
 * Opens a session for a user who just proved who they are: the session, its first refresh
 * token and the sign-in's audit event in one statement, so atomic on its own and one round
 * trip (inside the registration transaction it is part of that). The session id is made here.
 */
export async function startSession(
  core: Core,
  db: Executor,
  userId: string,
  event: SignInEvent,
): Promise<Tokens> {
  const now = core.now();
  const session = {
    id: randomUUID(),
    expiresAt: new Date(now.getTime() + core.auth.refreshAbsoluteTtl * 1000),
  };
  const refreshToken = randomToken();
  const at = now.toISOString();
  // A child row's foreign key is checked at the end of the statement, when its session exists.
  await db.execute(sql`
    with session as (
      insert into ${sessions} (id, user_id, created_at, last_used_at, expires_at)
      values (${session.id}, ${userId}, ${at}, ${at}, ${session.expiresAt.toISOString()})
    ), token as (
      insert into ${refreshTokens} (session_id, token_hash, created_at)
      values (${session.id}, ${sha256Hex(refreshToken)}, ${at})
    )
    insert into ${auditEvents} (type, user_id, session_id, email_masked, request_id)
    values (${event.type}, ${userId}, ${session.id}, ${event.emailMasked}, ${event.requestId})`);
  return tokensFor(core, userId, session, refreshToken, now);
}

/** One refresh: the presented token, its hash, the child it would rotate to, and when. */
interface Exchange {
  parentToken: string;
  tokenHash: string;
  child: string;
  now: Date;
  /** A session last used before this has been idle too long. */
  idleSince: Date;
  requestId: string | null;
}

/**
 * Exchanges an unused refresh token of a live session for its child, in one statement: locks
 * the session, marks the token used only if it still is unused (a concurrent exchange that
 * committed first makes this one match nothing), stores the child, touches the session and
 * records the audit event. Returns null, having written nothing, when the token is unknown or
 * spent or its session revoked or expired: the caller then looks at why.
 */
async function rotate(
  db: Executor,
  exchange: Exchange,
): Promise<{ id: string; userId: string; expiresAt: Date } | null> {
  const at = exchange.now.toISOString();
  const [row] = await rowsOf<{ id: string; user_id: string; expires_at_ms: number }>(
    db,
    sql`
    with session as (
      select id, user_id, expires_at from ${sessions}
      where id = (select session_id from ${refreshTokens} where token_hash = ${exchange.tokenHash})
        and revoked_at is null and expires_at > ${at}
        and last_used_at >= ${exchange.idleSince.toISOString()}
      for update
    ), spent as (
      update ${refreshTokens} set used_at = ${at}
      where token_hash = ${exchange.tokenHash} and used_at is null
        and session_id = (select id from session)
      returning id, session_id
    ), child as (
      insert into ${refreshTokens} (session_id, token_hash, parent_id, created_at)
      select session_id, ${sha256Hex(exchange.child)}, id, ${at} from spent
    ), touched as (
      update ${sessions} set last_used_at = ${at} where id = (select session_id from spent)
    ), audit as (
      insert into ${auditEvents} (type, user_id, session_id, request_id)
      select 'auth.refresh', session.user_id, session.id, ${exchange.requestId}
      from session join spent on spent.session_id = session.id
    )
    select session.id, session.user_id,
      (extract(epoch from session.expires_at) * 1000)::float8 as expires_at_ms
    from session join spent on spent.session_id = session.id`,
  );
  return row ? { id: row.id, userId: row.user_id, expiresAt: new Date(row.expires_at_ms) } : null;
}

/**
 * Marks sessions revoked and lists them for every replica's revocation cache. Returns what
 * the caller must add to the local cache once the transaction has committed.
 */
async function revokeSessions(
  core: Core,
  tx: Executor,
  rows: Pick<SessionRow, "id">[],
  reason: RevokeReason,
) {
  if (rows.length === 0) return [];
  const now = core.now();
  // No access token of these sessions can outlive this moment plus its lifetime and skew.
  const expiresAt = new Date(
    now.getTime() + (core.auth.accessTokenTtl + CLOCK_LEEWAY_SECONDS) * 1000,
  );
  for (const row of rows) {
    await tx
      .update(sessions)
      .set({ revokedAt: now, revokedReason: reason })
      .where(and(eq(sessions.id, row.id), isNull(sessions.revokedAt)));
  }
  await tx
    .insert(revokedSessions)
    .values(rows.map((row) => ({ sessionId: row.id, revokedAt: now, expiresAt })))
    .onConflictDoNothing();
  return rows.map((row) => ({ sessionId: row.id, expiresAt }));
}

function publishRevocations(core: Core, revoked: { sessionId: string; expiresAt: Date }[]): void {
  for (const entry of revoked) core.revocations.add(entry.sessionId, entry.expiresAt);
}

type RefreshOutcome =
  | { kind: "rotated" | "replayed"; tokens: Tokens; userId: string }
  | { kind: "invalid" | "revoked" }
  | { kind: "expired" | "reused"; revoked: { sessionId: string; expiresAt: Date }[] };

/** The outcome of a rotation; a token the statement could not rotate under the lock is invalid. */
function rotated(
  core: Core,
  exchange: Exchange,
  session: Awaited<ReturnType<typeof rotate>>,
): RefreshOutcome {
  if (!session) return { kind: "invalid" };
  return {
    kind: "rotated",
    userId: session.userId,
    tokens: tokensFor(core, session.userId, session, exchange.child, exchange.now),
  };
}

/**
 * Why a token did not rotate, under the session's lock (the token row is read again once the
 * lock is held, so a concurrent rotation's usedAt is seen; locking the token here too could
 * deadlock against a session DELETE cascading to its tokens): unknown, revoked, expired, a
 * replay within the grace interval, or reuse. A token that became rotatable meanwhile rotates.
 */
async function whyNotRotated(
  core: Core,
  tx: Executor,
  exchange: Exchange,
): Promise<RefreshOutcome> {
  const { now, tokenHash } = exchange;
  const [locked] = await tx
    .select({ session: sessions })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .for("update", { of: sessions });
  if (!locked) return { kind: "invalid" };
  const { session } = locked;
  const [token] = await tx
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash));
  if (!token) return { kind: "invalid" };
  if (session.revokedAt) return { kind: "revoked" };

  if (session.lastUsedAt < exchange.idleSince || now >= session.expiresAt) {
    return { kind: "expired", revoked: await revokeSessions(core, tx, [session], "expired") };
  }

  if (token.usedAt === null) return rotated(core, exchange, await rotate(tx, exchange));

  const withinGrace =
    now.getTime() - token.usedAt.getTime() <= core.auth.refreshReuseInterval * 1000;
  if (withinGrace) {
    const [child] = await tx
      .select()
      .from(refreshTokens)
      .where(and(eq(refreshTokens.parentId, token.id), isNull(refreshTokens.usedAt)));
    if (child) {
      const secrets = [core.auth.jwtSecret, core.auth.jwtSecretPrevious].filter(
        (s): s is string => s !== null,
      );
      const plain = secrets
        .map((secret) => deriveChildToken(secret, exchange.parentToken))
        .find((c) => sha256Hex(c) === child.tokenHash);
      if (plain) {
        return {
          kind: "replayed",
          userId: session.userId,
          tokens: tokensFor(core, session.userId, session, plain, now),
        };
      }
    }
  }

  await recordAudit(tx, {
    type: "auth.refresh_reuse_detected",
    userId: session.userId,
    sessionId: session.id,
    requestId: exchange.requestId,
  });
  return { kind: "reused", revoked: await revokeSessions(core, tx, [session], "reuse_detected") };
}

/**
 * Exchanges a refresh token for a new pair (rotation). Rules, after Supabase Auth:
 * - the active token rotates: it is marked used and its child becomes active;
 * - the parent of the active token, presented again within REFRESH_REUSE_INTERVAL of its
 *   rotation, gets the same active child back (the client lost the response);
 * - any other use of a used token is reuse: the whole family is revoked, and that revocation
 *   is committed before the 401 goes out.
 * The session row is locked, so concurrent refreshes of one family serialize: one rotation,
 * and the loser takes the replay path.
 */
export async function refreshSession(
  core: Core,
  refreshToken: string,
  meta: RequestMeta,
): Promise<Tokens> {
  const now = core.now();
  const exchange = {
    parentToken: refreshToken,
    tokenHash: sha256Hex(refreshToken),
    child: deriveChildToken(core.auth.jwtSecret, refreshToken),
    now,
    idleSince: new Date(now.getTime() - core.auth.refreshIdleTtl * 1000),
    requestId: meta.requestId,
  };
  const session = await rotate(core.db, exchange);
  const outcome = session
    ? rotated(core, exchange, session)
    : await core.db.transaction((tx) => whyNotRotated(core, tx, exchange));

  // The transaction has committed: now it is safe to tell the caller.
  core.events.refresh(outcome.kind === "reused" ? "reuse_detected" : outcome.kind);
  switch (outcome.kind) {
    case "rotated":
    case "replayed":
      return outcome.tokens;
    case "invalid":
    case "revoked":
      throw new AppError("INVALID_REFRESH_TOKEN");
    case "expired":
      publishRevocations(core, outcome.revoked);
      throw new AppError("SESSION_EXPIRED");
    case "reused":
      publishRevocations(core, outcome.revoked);
      throw new AppError("REFRESH_TOKEN_REUSED");
  }
}

/** Ends the session a refresh token belongs to. Unknown or spent tokens are a no-op. */
export async function logout(core: Core, refreshToken: string, meta: RequestMeta): Promise<void> {
  const revoked = await core.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ sessionId: sessions.id, userId: sessions.userId, revokedAt: sessions.revokedAt })
      .from(refreshTokens)
      .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
      .where(eq(refreshTokens.tokenHash, sha256Hex(refreshToken)));
    if (!row || row.revokedAt) return [];
    await recordAudit(tx, {
      type: "auth.logout",
      userId: row.userId,
      sessionId: row.sessionId,
      requestId: meta.requestId,
    });
    return revokeSessions(core, tx, [{ id: row.sessionId }], "logout");
  });
  publishRevocations(core, revoked);
}

/** Revokes every live session of a user, optionally keeping one (the caller's own). */
export async function revokeUserSessions(
  core: Core,
  tx: Executor,
  userId: string,
  reason: RevokeReason,
  keepSessionId?: string,
) {
  const live = await tx
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        keepSessionId ? ne(sessions.id, keepSessionId) : undefined,
      ),
    );
  return revokeSessions(core, tx, live, reason);
}

/** Runs `work` in a transaction that revokes sessions, then applies the revocations locally. */
export async function withRevocations(
  core: Core,
  work: (tx: Executor) => Promise<{ sessionId: string; expiresAt: Date }[]>,
): Promise<number> {
  const revoked = await core.db.transaction(work);
  publishRevocations(core, revoked);
  return revoked.length;
}

/** Checks a bearer token: signature, claims, and that its session was not revoked. */
export function authenticate(
  core: Core,
  accessToken: string,
): { userId: string; sessionId: string } {
  const claims = core.tokens.verify(accessToken, core.now());
  if (core.revocations.isRevoked(claims.sessionId)) throw new AppError("UNAUTHENTICATED");
  return { userId: claims.userId, sessionId: claims.sessionId };
}
