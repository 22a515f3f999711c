import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { authenticate, ensureAdmin, failImport } from "@runway/core";

import type { CallerFixture } from "../test/caller";
import { ADMIN, consoleCookie, startCallerFixture } from "../test/caller";
import { buildOpenApiDocument, listOperations, serializeOpenApiDocument } from "./openapi";
import { appRouter } from "./root";

const PASSWORD = "correct horse battery staple";
let fixture: CallerFixture;
let admin: { userId: string; accessToken: string };

beforeAll(async () => {
  fixture = await startCallerFixture();
  const { userId } = await ensureAdmin(fixture.core, ADMIN.email, ADMIN.password);
  const { tokens } = await callerAs().auth.login(ADMIN);
  admin = { userId, accessToken: tokens.accessToken };
});
afterAll(async () => {
  await fixture.close();
});

const callerAs = (...args: Parameters<CallerFixture["callerAs"]>) => fixture.callerAs(...args);
const asAdmin = () => callerAs(admin.accessToken).admin;

let emails = 0;
async function newUser() {
  const email = `caller${String(++emails)}@example.com`;
  const { user, tokens } = await callerAs().auth.register({ email, password: PASSWORD });
  return { email, user, tokens, caller: callerAs(tokens.accessToken) };
}

type NewUser = Awaited<ReturnType<typeof newUser>>;

/** Calls that end a fresh user's session, each checked by the access token no longer working. */
function endingSessions(
  enders: Record<string, (user: NewUser) => Promise<unknown>>,
): Record<string, () => Promise<void>> {
  return Object.fromEntries(
    Object.entries(enders).map(([procedure, end]) => [
      procedure,
      async () => {
        const user = await newUser();
        await end(user);
        await expect(user.caller.me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      },
    ]),
  );
}

/** A fresh user's import of one contact, queued (nothing processes it here). */
async function newImport() {
  const owner = await newUser();
  const withKey = callerAs(owner.tokens.accessToken, { idempotencyKey: `key-${String(emails)}` });
  const { import: created } = await withKey.imports.create({
    source: "router-test",
    items: [{ email: "contact@example.com" }],
  });
  return { owner, importId: created.id };
}

/** A dead letter for a fresh import, written as the worker writes one after the last attempt. */
async function newDeadLetter() {
  const { importId } = await newImport();
  await failImport(fixture.core, importId, "boom");
  const page = await asAdmin().deadLetters.list({ limit: 100 });
  const letter = page.items.find((item) => item.importId === importId);
  if (!letter) throw new Error("no dead letter");
  return letter.id;
}

/**
 * One call per procedure, each on its own fixtures. The keys must be the router's procedures:
 * a procedure added without a call here fails the first test below.
 */
const calls: Record<string, () => Promise<void>> = {
  "auth.register": async () => {
    const { user, tokens } = await newUser();
    expect(authenticate(fixture.core, tokens.accessToken).userId).toBe(user.id);
  },
  "auth.login": async () => {
    const { email, user } = await newUser();
    const { user: signedIn } = await callerAs().auth.login({ email, password: PASSWORD });
    expect(signedIn.id).toBe(user.id);
  },
  "auth.refresh": async () => {
    const { tokens } = await newUser();
    const { tokens: next } = await callerAs().auth.refresh({ refreshToken: tokens.refreshToken });
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
  },
  // Each ends the user's session: the access token stops working.
  ...endingSessions({
    "auth.logout": ({ tokens }) => callerAs().auth.logout({ refreshToken: tokens.refreshToken }),
    "auth.logoutAll": ({ caller }) => caller.auth.logoutAll(),
    "admin.users.revokeSessions": ({ user }) => asAdmin().users.revokeSessions({ userId: user.id }),
  }),
  "me.get": async () => {
    const { user, caller } = await newUser();
    expect((await caller.me.get()).user.id).toBe(user.id);
  },
  "me.getAccount": async () => {
    const { email, caller } = await newUser();
    expect((await caller.me.getAccount()).user.email).toBe(email);
  },
  "me.changePassword": async () => {
    const { email, caller } = await newUser();
    const newPassword = "a different long passphrase";
    await caller.me.changePassword({ currentPassword: PASSWORD, newPassword });
    await expect(callerAs().auth.login({ email, password: newPassword })).resolves.toBeTruthy();
  },
  "imports.create": async () => {
    const { owner, importId } = await newImport();
    expect((await owner.caller.imports.get({ importId })).import.totalItems).toBe(1);
  },
  "imports.list": async () => {
    const { owner, importId } = await newImport();
    const page = await owner.caller.imports.list({});
    expect(page.items.map((item) => item.id)).toEqual([importId]);
  },
  "imports.get": async () => {
    const { owner, importId } = await newImport();
    expect((await owner.caller.imports.get({ importId })).import.status).toBe("queued");
  },
  "imports.items": async () => {
    const { owner, importId } = await newImport();
    expect((await owner.caller.imports.items({ importId })).items).toHaveLength(1);
  },
  "imports.delete": async () => {
    const { owner, importId } = await newImport();
    await owner.caller.imports.delete({ importId });
    await expect(owner.caller.imports.get({ importId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  },
  "console.signIn": async () => {
    const cookie = consoleCookie();
    const session = await callerAs(undefined, { consoleCookie: cookie }).console.signIn(ADMIN);
    expect(session.user.id).toBe(admin.userId);
    expect(cookie.refreshToken).toBeTruthy();
  },
  "console.refresh": async () => {
    const cookie = consoleCookie();
    await callerAs(undefined, { consoleCookie: cookie }).console.signIn(ADMIN);
    const first = cookie.refreshToken;
    await callerAs(undefined, { consoleCookie: cookie }).console.refresh();
    expect(cookie.refreshToken).not.toBe(first);
  },
  "console.signOut": async () => {
    const cookie = consoleCookie();
    await callerAs(undefined, { consoleCookie: cookie }).console.signIn(ADMIN);
    const token = cookie.refreshToken;
    await callerAs(undefined, { consoleCookie: cookie }).console.signOut();
    expect(cookie.refreshToken).toBeUndefined();
    await expect(
      callerAs(undefined, { consoleCookie: consoleCookie(token) }).console.refresh(),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  },
  "admin.users.list": async () => {
    const { email, user } = await newUser();
    const page = await asAdmin().users.list({ query: email });
    expect(page.items.map((item) => item.id)).toEqual([user.id]);
  },
  "admin.users.get": async () => {
    const { user } = await newUser();
    expect((await asAdmin().users.get({ userId: user.id })).user.id).toBe(user.id);
  },
  "admin.users.setRoles": async () => {
    const { user } = await newUser();
    const result = await asAdmin().users.setRoles({ userId: user.id, roles: ["user", "admin"] });
    expect(result.user.roles).toEqual(["admin", "user"]);
  },
  "admin.imports.list": async () => {
    const { importId } = await newImport();
    const page = await asAdmin().imports.list({ limit: 100 });
    expect(page.items.map((item) => item.id)).toContain(importId);
  },
  "admin.imports.get": async () => {
    const { owner, importId } = await newImport();
    const detail = await asAdmin().imports.get({ importId });
    expect(detail.import.id).toBe(importId);
    expect(detail.import.userId).toBe(owner.user.id);
  },
  "admin.imports.items": async () => {
    const { importId } = await newImport();
    expect((await asAdmin().imports.items({ importId })).items).toHaveLength(1);
  },
  "admin.queue.stats": async () => {
    await newImport();
    expect((await asAdmin().queue.stats()).backend).toBe("postgres");
  },
  "admin.metrics.summary": async () => {
    await newImport();
    expect((await asAdmin().metrics.summary()).queueDepth).toBeGreaterThanOrEqual(1);
  },
  "admin.metrics.history": async () => {
    expect((await asAdmin().metrics.history({ minutes: 15 })).stepSeconds).toBeGreaterThan(0);
  },
  "admin.deadLetters.list": async () => {
    const deadLetterId = await newDeadLetter();
    const page = await asAdmin().deadLetters.list({ limit: 100 });
    expect(page.items.map((item) => item.id)).toContain(deadLetterId);
  },
  "admin.deadLetters.retry": async () => {
    const deadLetterId = await newDeadLetter();
    await asAdmin().deadLetters.retry({ deadLetterId });
    const page = await asAdmin().deadLetters.list({ limit: 100 });
    expect(page.items.map((item) => item.id)).not.toContain(deadLetterId);
  },
  "admin.deadLetters.discard": async () => {
    const deadLetterId = await newDeadLetter();
    await asAdmin().deadLetters.discard({ deadLetterId });
    const page = await asAdmin().deadLetters.list({ limit: 100 });
    expect(page.items.map((item) => item.id)).not.toContain(deadLetterId);
  },
  "admin.maintenance.cleanup": async () => {
    expect(await asAdmin().maintenance.cleanup()).toBeTruthy();
  },
  "admin.auditEvents.list": async () => {
    const { user } = await newUser();
    const page = await asAdmin().auditEvents.list({ userId: user.id });
    expect(page.items.map((event) => event.type)).toContain("user.registered");
  },
  "admin.database.verify": async () => {
    const report = await asAdmin().database.verify();
    expect(report.checks.map((check) => check.name)).toContain("migrations");
  },
};

describe("every procedure through createCaller", () => {
  it("has a call here for each procedure of the router", () => {
    expect(Object.keys(calls).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  it.each(Object.entries(calls))("%s", async (_path, call) => {
    await call();
  });

  it("refuses admin procedures to a plain user and to no token", async () => {
    const { caller } = await newUser();
    await expect(caller.admin.users.list({ limit: 10 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(caller.admin.database.verify()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs().admin.database.verify()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(callerAs().me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument();

  it("is the committed openapi.json", () => {
    const committed = readFileSync(new URL("../openapi.json", import.meta.url), "utf8");
    expect(serializeOpenApiDocument(document)).toBe(committed);
  });

  it("gives every operation an explicit operationId, its real success status and the error envelope", () => {
    const expected: Record<string, string> = {
      "post /auth/register": "201",
      "post /auth/login": "200",
      "post /auth/refresh": "200",
      "post /auth/logout": "204",
      "post /auth/logout-all": "204",
      "get /me": "200",
      "get /account": "200",
      "post /me/password": "204",
      "get /admin/users": "200",
      "put /admin/users/{userId}/roles": "200",
      "post /admin/users/{userId}/sessions/revoke": "204",
      "post /imports": "202",
      "get /imports": "200",
      "get /imports/{importId}": "200",
      "get /imports/{importId}/items": "200",
      "delete /imports/{importId}": "204",
      "get /admin/imports": "200",
      "get /admin/queue": "200",
      "get /admin/metrics": "200",
      "get /admin/dead-letters": "200",
      "post /admin/dead-letters/{deadLetterId}/retry": "202",
      "delete /admin/dead-letters/{deadLetterId}": "204",
      "post /admin/maintenance/cleanup": "200",
      "get /admin/users/{userId}": "200",
      "get /admin/imports/{importId}": "200",
      "get /admin/imports/{importId}/items": "200",
      "get /admin/metrics/history": "200",
      "get /admin/audit-events": "200",
      "get /admin/database": "200",
    };
    const operations = listOperations();
    expect(operations.map((op) => `${op.method} ${op.path}`).sort()).toEqual(
      Object.keys(expected).sort(),
    );
    const ids = new Set<string>();
    for (const op of operations) {
      const operation = (
        document.paths as Record<
          string,
          Record<string, { operationId: string; responses: Record<string, { content?: unknown }> }>
        >
      )[op.path]![op.method]!;
      expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      ids.add(operation.operationId);
      const statuses = Object.keys(operation.responses);
      const success = statuses.filter((s) => s.startsWith("2"));
      expect(success).toEqual([expected[`${op.method} ${op.path}`]]);
      if (success[0] === "204") expect(operation.responses["204"]!.content).toBeUndefined();
      for (const status of statuses.filter((s) => !s.startsWith("2"))) {
        expect(JSON.stringify(operation.responses[status])).toContain(
          "#/components/schemas/ErrorResponse",
        );
      }
    }
    expect(ids.size).toBe(operations.length);
  });

  it("documents public operations without security and protected ones with a bearer", () => {
    const paths = document.paths as Record<string, Record<string, { security?: unknown[] }>>;
    for (const path of ["/auth/register", "/auth/login", "/auth/refresh", "/auth/logout"]) {
      expect(paths[path]!.post!.security).toBeUndefined();
    }
    expect(paths["/me"]!.get!.security).toEqual([{ bearerAuth: [] }]);
    expect(paths["/admin/users"]!.get!.security).toEqual([{ bearerAuth: [] }]);
  });
});
