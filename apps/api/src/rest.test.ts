import { describe, expect, it } from "vitest";

import {
  AuthResponseSchema,
  ErrorResponseSchema,
  TokensResponseSchema,
  UserPageSchema,
  UserResponseSchema,
} from "@runway/contracts";

import type { Tokens } from "../test/harness";
import { adminTokens, http, newUser, PASSWORD, useTestServer } from "../test/harness";

const suite = useTestServer();

/** A second session of the user, as from another device. */
async function signInAgain(user: { email: string }): Promise<Tokens> {
  const res = await http<{ tokens: Tokens }>(suite.base, "POST", "/v1/auth/login", {
    body: { email: user.email, password: PASSWORD },
  });
  return res.body.tokens;
}

/** What GET /v1/me answers to this access token: 200 while its session lives, 401 after. */
async function meStatus(tokens: Tokens): Promise<number> {
  return (await http(suite.base, "GET", "/v1/me", { token: tokens.accessToken })).status;
}

describe("REST /v1, every operation over real HTTP", () => {
  it("POST /v1/auth/register -> 201 {user, tokens}, with OkHttp's charset content type", async () => {
    const res = await http(suite.base, "POST", "/v1/auth/register", {
      body: { email: "  Android.User@Example.COM ", password: PASSWORD, displayName: "Droid" },
      headers: { "content-type": "application/json; charset=UTF-8" },
    });
    expect(res.status).toBe(201);
    const body = AuthResponseSchema.parse(res.body);
    expect(body.user).toMatchObject({
      email: "android.user@example.com",
      displayName: "Droid",
      roles: ["user"],
    });
    expect(body.tokens).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("POST /v1/auth/login -> 200 {user, tokens}, the email in any case", async () => {
    const user = await newUser(suite.base);
    const res = await http(suite.base, "POST", "/v1/auth/login", {
      body: { email: user.email.toUpperCase(), password: PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(AuthResponseSchema.parse(res.body).user.id).toBe(user.id);
  });

  it("GET /v1/me -> 200 {user}", async () => {
    const user = await newUser(suite.base);
    const res = await http(suite.base, "GET", "/v1/me", { token: user.tokens.accessToken });
    expect(res.status).toBe(200);
    expect(UserResponseSchema.parse(res.body).user.id).toBe(user.id);
  });

  it("POST /v1/auth/refresh -> 200 {tokens} with a rotated refresh token", async () => {
    const user = await newUser(suite.base);
    const res = await http(suite.base, "POST", "/v1/auth/refresh", {
      body: { refreshToken: user.tokens.refreshToken },
    });
    expect(res.status).toBe(200);
    expect(TokensResponseSchema.parse(res.body).tokens.refreshToken).not.toBe(
      user.tokens.refreshToken,
    );
  });

  it("POST /v1/auth/logout -> 204 with no body", async () => {
    const user = await newUser(suite.base);
    const res = await http(suite.base, "POST", "/v1/auth/logout", {
      body: { refreshToken: user.tokens.refreshToken },
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(await meStatus(user.tokens)).toBe(401);
  });

  it("POST /v1/auth/logout-all -> 204 and every session ends", async () => {
    const user = await newUser(suite.base);
    const other = await signInAgain(user);
    const res = await http(suite.base, "POST", "/v1/auth/logout-all", {
      token: user.tokens.accessToken,
    });
    expect(res.status).toBe(204);
    expect(await meStatus(other)).toBe(401);
    expect(await meStatus(user.tokens)).toBe(401);
  });

  it("POST /v1/me/password -> 204; other sessions end, the caller's stays", async () => {
    const user = await newUser(suite.base);
    const wrong = await http(suite.base, "POST", "/v1/me/password", {
      token: user.tokens.accessToken,
      body: { currentPassword: "not my password", newPassword: "violet-tugboat-47-quartz" },
    });
    expect(wrong.status).toBe(403);
    expect(ErrorResponseSchema.parse(wrong.body).code).toBe("CURRENT_PASSWORD_INCORRECT");
    const other = await signInAgain(user);
    const res = await http(suite.base, "POST", "/v1/me/password", {
      token: user.tokens.accessToken,
      body: { currentPassword: PASSWORD, newPassword: "violet-tugboat-47-quartz" },
    });
    expect(res.status).toBe(204);
    expect(await meStatus(other)).toBe(401);
    expect(await meStatus(user.tokens)).toBe(200);
    const relogin = await http(suite.base, "POST", "/v1/auth/login", {
      body: { email: user.email, password: "violet-tugboat-47-quartz" },
    });
    expect(relogin.status).toBe(200);
  });

  it("GET /v1/admin/users -> 200 page, keyset-paginated with query parameters", async () => {
    const admin = await adminTokens(suite.base);
    for (let i = 0; i < 3; i++) await newUser(suite.base);
    const first = await http(suite.base, "GET", "/v1/admin/users?limit=2", {
      token: admin.accessToken,
    });
    expect(first.status).toBe(200);
    const page = UserPageSchema.parse(first.body);
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBeTruthy();
    const second = await http(
      suite.base,
      "GET",
      `/v1/admin/users?limit=2&cursor=${page.nextCursor}`,
      {
        token: admin.accessToken,
      },
    );
    const next = UserPageSchema.parse(second.body);
    expect(next.items.map((u) => u.id)).not.toContain(page.items[0]!.id);
    const search = await http(suite.base, "GET", "/v1/admin/users?query=admin%40", {
      token: admin.accessToken,
    });
    expect(UserPageSchema.parse(search.body).items.map((u) => u.email)).toEqual([
      "admin@example.com",
    ]);
    const bad = await http(suite.base, "GET", "/v1/admin/users?limit=1000", {
      token: admin.accessToken,
    });
    expect(bad.status).toBe(400);
    expect(ErrorResponseSchema.parse(bad.body).code).toBe("VALIDATION_FAILED");
  });

  it("PUT /v1/admin/users/{userId}/roles -> 200 {user}; takes effect on the next request", async () => {
    const admin = await adminTokens(suite.base);
    const user = await newUser(suite.base);
    expect(
      (await http(suite.base, "GET", "/v1/admin/users", { token: user.tokens.accessToken })).status,
    ).toBe(403);
    const res = await http(suite.base, "PUT", `/v1/admin/users/${user.id}/roles`, {
      token: admin.accessToken,
      body: { roles: ["user", "admin"] },
    });
    expect(res.status).toBe(200);
    expect(UserResponseSchema.parse(res.body).user.roles).toEqual(["admin", "user"]);
    expect(
      (await http(suite.base, "GET", "/v1/admin/users", { token: user.tokens.accessToken })).status,
    ).toBe(200);
    await http(suite.base, "PUT", `/v1/admin/users/${user.id}/roles`, {
      token: admin.accessToken,
      body: { roles: ["user"] },
    });
    expect(
      (await http(suite.base, "GET", "/v1/admin/users", { token: user.tokens.accessToken })).status,
    ).toBe(403);
    const missing = await http(
      suite.base,
      "PUT",
      "/v1/admin/users/00000000-0000-4000-8000-000000000000/roles",
      {
        token: admin.accessToken,
        body: { roles: ["user"] },
      },
    );
    expect(missing.status).toBe(404);
    const badRole = await http(suite.base, "PUT", `/v1/admin/users/${user.id}/roles`, {
      token: admin.accessToken,
      body: { roles: ["root"] },
    });
    expect(badRole.status).toBe(400);
  });

  it("POST /v1/admin/users/{userId}/sessions/revoke -> 204 and the user's tokens stop working", async () => {
    const admin = await adminTokens(suite.base);
    const user = await newUser(suite.base);
    const res = await http(suite.base, "POST", `/v1/admin/users/${user.id}/sessions/revoke`, {
      token: admin.accessToken,
    });
    expect(res.status).toBe(204);
    expect(await meStatus(user.tokens)).toBe(401);
    const refresh = await http(suite.base, "POST", "/v1/auth/refresh", {
      body: { refreshToken: user.tokens.refreshToken },
    });
    expect(refresh.status).toBe(401);
  });

  it("tRPC and REST return the same JSON for the same procedure", async () => {
    const user = await newUser(suite.base);
    const rest = await http(suite.base, "GET", "/v1/me", { token: user.tokens.accessToken });
    const trpc = await http<{ result: { data: unknown } }>(suite.base, "GET", "/trpc/me.get", {
      token: user.tokens.accessToken,
    });
    expect(trpc.status).toBe(200);
    expect(trpc.body.result.data).toEqual(rest.body);
  });
});
