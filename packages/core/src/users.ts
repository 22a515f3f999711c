import { and, asc, count, eq, ilike, inArray, isNull, or, sql } from "drizzle-orm";

import type { AuthResponse, LoginInput, RegisterInput, Role, User } from "@runway/contracts";
import type { Database, Executor } from "@runway/db";
import { roles as rolesTable, userRoles, users } from "@runway/db";

import type { Core, RequestMeta } from "./context";
import { recordAudit } from "./audit";
import { AppError } from "./errors";
import { maskEmail } from "./mask";
import { encodeCursor, keysetAfter, newestFirst, toPage } from "./pagination";
import {
  assertPasswordPolicy,
  dummyVerify,
  hashPassword,
  needsRehash,
  verifyPassword,
} from "./password";
import { hashEmail } from "./pii";
import { preparedQuery } from "./prepared";
import { revokeUserSessions, startSession, withRevocations } from "./sessions";

type UserRow = typeof users.$inferSelect;

export async function getUserRoles(db: Executor, userId: string): Promise<Role[]> {
  const rows = await db
    .select({ role: userRoles.roleName })
    .from(userRoles)
    .where(eq(userRoles.userId, userId))
    .orderBy(asc(userRoles.roleName));
  return rows.map((row) => row.role as Role);
}

function toUser(row: UserRow, roles: Role[]): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    roles,
    createdAt: row.createdAt.toISOString(),
  };
}

async function loadUser(db: Executor, userId: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row ? toUser(row, await getUserRoles(db, userId)) : null;
}

/** A user row with its role names, in one query. */
const withRoles = {
  user: users,
  roles: sql<Role[]>`coalesce(array(select ${userRoles.roleName} from ${userRoles}
    where ${userRoles.userId} = ${users.id} order by ${userRoles.roleName}), '{}')`,
};

const userWithRoles = (db: Database) =>
  preparedQuery(db, "user_with_roles", () =>
    db
      .select(withRoles)
      .from(users)
      .where(eq(users.id, sql.placeholder("userId")))
      .prepare("user_with_roles"),
  );

const userByEmail = (db: Database) =>
  preparedQuery(db, "user_by_email", () =>
    db
      .select(withRoles)
      .from(users)
      .where(eq(users.email, sql.placeholder("email")))
      .prepare("user_by_email"),
  );

/** The signed-in user (one prepared query); an account deleted under a live token is signed out. */
export async function getCurrentUser(core: Core, userId: string): Promise<User> {
  const [row] = await userWithRoles(core.db).execute({ userId });
  if (!row) throw new AppError("UNAUTHENTICATED");
  return toUser(row.user, row.roles);
}

/** Creates an account with the `user` role. Roles can never be chosen at registration. */
export async function register(
  core: Core,
  input: RegisterInput,
  meta: RequestMeta,
): Promise<AuthResponse> {
  assertPasswordPolicy(input.password, [input.email, input.displayName ?? ""]);
  const passwordHash = await hashPassword(input.password);
  return core.db.transaction(async (tx) => {
    const now = core.now();
    const [row] = await tx
      .insert(users)
      .values({
        email: input.email,
        emailHash: hashEmail(core.imports.piiKey, input.email),
        displayName: input.displayName ?? null,
        passwordHash,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!row) throw new AppError("EMAIL_TAKEN", "An account with this email already exists");
    await tx.insert(userRoles).values({ userId: row.id, roleName: "user" });
    const tokens = await startSession(core, tx, row.id, {
      type: "user.registered",
      emailMasked: maskEmail(row.email),
      requestId: meta.requestId,
    });
    return { user: toUser(row, ["user"]), tokens };
  });
}

/**
 * Wrong email and wrong password fail the same way and take the same time: unknown emails
 * still pay for one argon2 verification.
 */
export async function login(
  core: Core,
  input: LoginInput,
  meta: RequestMeta,
): Promise<AuthResponse> {
  const [found] = await userByEmail(core.db).execute({ email: input.email });
  const row = found?.user;
  const valid = row
    ? await verifyPassword(row.passwordHash, input.password)
    : (await dummyVerify(input.password), false);
  if (!row || !valid) {
    await recordAudit(core.db, {
      type: "auth.login_failed",
      userId: row?.id ?? null,
      emailMasked: maskEmail(input.email),
      requestId: meta.requestId,
    });
    throw new AppError("INVALID_CREDENTIALS");
  }
  if (needsRehash(row.passwordHash)) {
    const passwordHash = await hashPassword(input.password);
    await core.db.update(users).set({ passwordHash }).where(eq(users.id, row.id));
  }
  const tokens = await startSession(core, core.db, row.id, {
    type: "auth.login",
    emailMasked: maskEmail(row.email),
    requestId: meta.requestId,
  });
  return { user: toUser(row, found.roles), tokens };
}

/** Changes the password and ends every other session; the caller's own session survives. */
export async function changePassword(
  core: Core,
  auth: { userId: string; sessionId: string },
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const [row] = await core.db.select().from(users).where(eq(users.id, auth.userId));
  if (!row) throw new AppError("UNAUTHENTICATED");
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    throw new AppError("CURRENT_PASSWORD_INCORRECT", "The current password is incorrect");
  }
  assertPasswordPolicy(input.newPassword, [row.email, row.displayName ?? ""]);
  const passwordHash = await hashPassword(input.newPassword);
  await withRevocations(core, async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, row.id));
    await recordAudit(tx, {
      type: "auth.password_changed",
      userId: row.id,
      sessionId: auth.sessionId,
      requestId: meta.requestId,
    });
    return revokeUserSessions(core, tx, row.id, "password_changed", auth.sessionId);
  });
}

export async function logoutAll(
  core: Core,
  auth: { userId: string; sessionId: string },
  meta: RequestMeta,
): Promise<void> {
  await withRevocations(core, async (tx) => {
    await recordAudit(tx, {
      type: "auth.logout_all",
      userId: auth.userId,
      sessionId: auth.sessionId,
      requestId: meta.requestId,
    });
    return revokeUserSessions(core, tx, auth.userId, "logout_all");
  });
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

export async function listUsers(
  core: Core,
  input: { query?: string | undefined; limit: number; cursor?: string | undefined },
) {
  const query = input.query?.toLowerCase();
  const rows = await core.db
    .select()
    .from(users)
    .where(
      and(
        query
          ? or(
              ilike(users.email, `${escapeLike(query)}%`),
              ilike(users.displayName, `%${escapeLike(query)}%`),
            )
          : undefined,
        keysetAfter(users, input.cursor),
      ),
    )
    .orderBy(...newestFirst(users))
    .limit(input.limit + 1);
  const page = toPage(rows, input.limit, encodeCursor);
  const roleRows = page.items.length
    ? await core.db
        .select()
        .from(userRoles)
        .where(
          inArray(
            userRoles.userId,
            page.items.map((row) => row.id),
          ),
        )
        .orderBy(asc(userRoles.roleName))
    : [];
  return {
    items: page.items.map((row) =>
      toUser(
        row,
        roleRows.filter((r) => r.userId === row.id).map((r) => r.roleName as Role),
      ),
    ),
    nextCursor: page.nextCursor,
  };
}

/**
 * Replaces a user's roles. Removing the last admin is refused, so the system always keeps
 * someone who can manage it. Every role change first locks the `admin` row of the roles table:
 * one lock, taken first, so concurrent changes queue behind each other instead of deadlocking
 * on each other's user rows, and the admin count they check cannot change under them. (NO KEY
 * UPDATE does not block the key-share locks that inserting a user_roles row takes.)
 */
export async function setUserRoles(
  core: Core,
  actorId: string,
  userId: string,
  roles: Role[],
  meta: RequestMeta,
): Promise<User> {
  const wanted = [...new Set(roles)].sort();
  return core.db.transaction(async (tx) => {
    await tx
      .select({ name: rolesTable.name })
      .from(rolesTable)
      .where(eq(rolesTable.name, "admin"))
      .for("no key update");
    const [target] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!target) throw new AppError("NOT_FOUND", "User not found");
    const before = await getUserRoles(tx, userId);
    if (before.includes("admin") && !wanted.includes("admin")) {
      const [admins] = await tx
        .select({ n: count() })
        .from(userRoles)
        .where(eq(userRoles.roleName, "admin"));
      if ((admins?.n ?? 0) <= 1)
        throw new AppError("LAST_ADMIN", "The last admin cannot lose the admin role");
    }
    await tx.delete(userRoles).where(eq(userRoles.userId, userId));
    if (wanted.length) {
      await tx
        .insert(userRoles)
        .values(wanted.map((roleName) => ({ userId, roleName, grantedBy: actorId })));
    }
    await recordAudit(tx, {
      type: "admin.roles_changed",
      userId,
      actorId,
      requestId: meta.requestId,
      details: { before: before.join(","), after: wanted.join(",") },
    });
    const user = await loadUser(tx, userId);
    if (!user) throw new AppError("NOT_FOUND", "User not found");
    return user;
  });
}

export async function adminRevokeSessions(
  core: Core,
  actorId: string,
  userId: string,
  meta: RequestMeta,
): Promise<void> {
  const [target] = await core.db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!target) throw new AppError("NOT_FOUND", "User not found");
  await withRevocations(core, async (tx) => {
    await recordAudit(tx, {
      type: "admin.sessions_revoked",
      userId,
      actorId,
      requestId: meta.requestId,
    });
    return revokeUserSessions(core, tx, userId, "admin");
  });
}

/**
 * `pnpm admin:create` and FIRST_ADMIN_*: creates the account when it does not exist, then
 * grants it admin. An existing account keeps its password.
 */
export async function ensureAdmin(
  core: Core,
  email: string,
  password: string,
): Promise<{ userId: string; created: boolean }> {
  const normalized = email.trim().toLowerCase();
  const [existing] = await core.db.select().from(users).where(eq(users.email, normalized));
  let userId: string;
  let created = false;
  if (existing) {
    userId = existing.id;
  } else {
    assertPasswordPolicy(password, [normalized]);
    const passwordHash = await hashPassword(password);
    const [row] = await core.db
      .insert(users)
      .values({
        email: normalized,
        emailHash: hashEmail(core.imports.piiKey, normalized),
        passwordHash,
      })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    if (!row) return ensureAdmin(core, email, password);
    userId = row.id;
    created = true;
  }
  await core.db
    .insert(userRoles)
    .values([
      { userId, roleName: "user" },
      { userId, roleName: "admin" },
    ])
    .onConflictDoNothing();
  await recordAudit(core.db, {
    type: "admin.roles_changed",
    userId,
    details: { granted: "admin", via: "bootstrap" },
  });
  return { userId, created };
}

/** Used by requireRole: read per request, so a role change applies to the very next call. */
export async function hasRole(core: Core, userId: string, role: Role): Promise<boolean> {
  const rows = await core.db
    .select({ one: sql<number>`1` })
    .from(userRoles)
    .where(and(eq(userRoles.userId, userId), eq(userRoles.roleName, role)))
    .limit(1);
  return rows.length > 0;
}

/** Fills in email hashes for accounts created before they existed; returns how many. */
export async function backfillEmailHashes(core: Core): Promise<number> {
  const rows = await core.db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(isNull(users.emailHash));
  for (const row of rows) {
    await core.db
      .update(users)
      .set({ emailHash: hashEmail(core.imports.piiKey, row.email) })
      .where(eq(users.id, row.id));
  }
  return rows.length;
}
