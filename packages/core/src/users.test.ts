import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { auditEvents, users } from "@runway/db";

import { backends, coreFor, useBackend } from "../test/databases";
import { ensureAdmin, hasRole, listUsers, login, register, setUserRoles } from "./users";

const meta = { requestId: "test" };
const password = "correct horse battery staple";

describe.each(backends)("accounts and roles on $name", (backend) => {
  const handle = useBackend(backend);

  it("registers with the user role only and refuses a taken email in any case", async () => {
    const core = coreFor(handle());
    const { user } = await register(
      core,
      { email: "reg@example.com", password, displayName: "Reg" },
      meta,
    );
    expect(user.roles).toEqual(["user"]);
    await expect(
      register(core, { email: "reg@example.com", password }, meta),
    ).rejects.toMatchObject({ code: "EMAIL_TAKEN" });
  });

  it("fails wrong password and unknown email the same way and audits with a masked email only", async () => {
    const core = coreFor(handle());
    await register(core, { email: "mask.me@example.com", password }, meta);
    const wrong = await login(
      core,
      { email: "mask.me@example.com", password: "not the password" },
      meta,
    ).catch((e: unknown) => e);
    const unknown = await login(core, { email: "nobody@example.com", password }, meta).catch(
      (e: unknown) => e,
    );
    expect(wrong).toMatchObject({
      code: "INVALID_CREDENTIALS",
      message: "Email or password is incorrect",
    });
    expect(unknown).toMatchObject({
      code: "INVALID_CREDENTIALS",
      message: "Email or password is incorrect",
    });
    const failures = await handle()
      .db.select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "auth.login_failed"));
    expect(failures.map((e) => e.emailMasked).sort()).toEqual([
      "m***@example.com",
      "n***@example.com",
    ]);
    expect(JSON.stringify(failures)).not.toContain("mask.me@");
  });

  it("rehashes a password stored with old parameters on login", async () => {
    const core = coreFor(handle());
    const { user } = await register(core, { email: "rehash@example.com", password }, meta);
    const { hash } = await import("@node-rs/argon2");
    await handle()
      .db.update(users)
      .set({
        passwordHash: await hash(password, { memoryCost: 4096, timeCost: 1, parallelism: 1 }),
      })
      .where(eq(users.id, user.id));
    await login(core, { email: "rehash@example.com", password }, meta);
    const [row] = await handle().db.select().from(users).where(eq(users.id, user.id));
    expect(row?.passwordHash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true);
  });

  it("bootstraps an admin, applies role changes at once, and keeps the last admin", async () => {
    const core = coreFor(handle());
    const { userId: adminId, created } = await ensureAdmin(core, "Boss@Example.com", password);
    expect(created).toBe(true);
    expect((await ensureAdmin(core, "boss@example.com", "ignored-for-existing")).created).toBe(
      false,
    );
    expect(await hasRole(core, adminId, "admin")).toBe(true);

    const { user } = await register(core, { email: "promote@example.com", password }, meta);
    expect(await hasRole(core, user.id, "admin")).toBe(false);
    const promoted = await setUserRoles(core, adminId, user.id, ["user", "admin", "admin"], meta);
    expect(promoted.roles).toEqual(["admin", "user"]);
    expect(await hasRole(core, user.id, "admin")).toBe(true);

    await setUserRoles(core, adminId, user.id, ["user"], meta);
    expect(await hasRole(core, user.id, "admin")).toBe(false);
    await expect(setUserRoles(core, adminId, adminId, ["user"], meta)).rejects.toMatchObject({
      code: "LAST_ADMIN",
    });
    await expect(
      setUserRoles(core, adminId, "00000000-0000-4000-8000-000000000000", ["user"], meta),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("pages users newest first with a stable cursor and searches by prefix", async () => {
    const core = coreFor(handle());
    for (let i = 0; i < 5; i++)
      await register(
        core,
        { email: `page${i}@example.com`, password, displayName: `Pager ${i}` },
        meta,
      );
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listUsers(core, { limit: 2, cursor, query: "page" });
      seen.push(...page.items.map((u) => u.email));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([
      "page4@example.com",
      "page3@example.com",
      "page2@example.com",
      "page1@example.com",
      "page0@example.com",
    ]);
    expect((await listUsers(core, { limit: 10, query: "%" })).items).toHaveLength(0);
    expect(
      (await listUsers(core, { limit: 10, query: "pager 3" })).items.map((u) => u.email),
    ).toEqual(["page3@example.com"]);
  });
});
