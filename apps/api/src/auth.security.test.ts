import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { listOperations } from "@runway/api";
import { ErrorResponseSchema } from "@runway/contracts";

import type { HttpResult, TestServer, Tokens } from "../test/harness";
import { adminTokens, http, newUser, PASSWORD, startTestServer } from "../test/harness";

let server: TestServer;
let base: string;
const errorBodies: string[] = [];

async function call(
  method: string,
  path: string,
  options: Parameters<typeof http>[3] = {},
): Promise<HttpResult> {
  const res = await http(base, method, path, options);
  if (res.status >= 400) errorBodies.push(res.text);
  return res;
}

beforeAll(async () => {
  server = await startTestServer();
  base = server.url;
});
afterAll(async () => {
  await server.close();
});

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

async function expectUnauthenticated(token: string) {
  const rest = await call("GET", "/v1/me", { token });
  expect(rest.status).toBe(401);
  expect(ErrorResponseSchema.parse(rest.body).code).toBe("UNAUTHENTICATED");
  const trpc = await call("GET", "/trpc/me.get", { token });
  expect(trpc.status).toBe(401);
}

describe("forged and misused access tokens", () => {
  it("refuses a tampered token", async () => {
    const user = await newUser(base);
    const [h, p, s] = user.tokens.accessToken.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const other = await newUser(base);
    await expectUnauthenticated(`${h}.${b64({ ...claims, sub: other.id })}.${s}`);
  });

  it.each(["none", "NONE", "nOnE"])("refuses alg=%s", async (alg) => {
    const user = await newUser(base);
    const [h, p] = user.tokens.accessToken.split(".");
    const header = JSON.parse(Buffer.from(h!, "base64url").toString()) as Record<string, unknown>;
    await expectUnauthenticated(`${b64({ ...header, alg })}.${p}.`);
  });

  it("refuses a refresh token used as an access token", async () => {
    const user = await newUser(base);
    await expectUnauthenticated(user.tokens.refreshToken);
  });

  it("refuses an expired token", async () => {
    const user = await newUser(base);
    const [, p] = user.tokens.accessToken.split(".");
    const { sid } = JSON.parse(Buffer.from(p!, "base64url").toString()) as { sid: string };
    const expired = server.running.core.tokens.sign(user.id, sid, new Date(Date.now() - 3600_000));
    await expectUnauthenticated(expired);
  });

  it("refuses garbage and a missing scheme", async () => {
    await expectUnauthenticated("garbage");
    const res = await call("GET", "/v1/me", {
      headers: { authorization: "Basic YWRtaW46YWRtaW4=" },
    });
    expect(res.status).toBe(401);
  });
});

describe("refresh token theft", () => {
  it("reuse of a rotated token ends the family; the thief's and the victim's tokens all stop", async () => {
    const user = await newUser(base);
    const victim = await call("POST", "/v1/auth/refresh", {
      body: { refreshToken: user.tokens.refreshToken },
    });
    const child = (victim.body as { tokens: Tokens }).tokens;
    const grand = await call("POST", "/v1/auth/refresh", {
      body: { refreshToken: child.refreshToken },
    });
    expect(grand.status).toBe(200);
    const stolen = await call("POST", "/v1/auth/refresh", {
      body: { refreshToken: user.tokens.refreshToken },
    });
    expect(stolen.status).toBe(401);
    expect(ErrorResponseSchema.parse(stolen.body).code).toBe("REFRESH_TOKEN_REUSED");
    const latest = (grand.body as { tokens: Tokens }).tokens;
    const after = await call("POST", "/v1/auth/refresh", {
      body: { refreshToken: latest.refreshToken },
    });
    expect(after.status).toBe(401);
    await expectUnauthenticated(latest.accessToken);
  });

  it("two parallel refreshes of one token rotate once and both get the same pair", async () => {
    const user = await newUser(base);
    const [a, b] = await Promise.all([
      call("POST", "/v1/auth/refresh", { body: { refreshToken: user.tokens.refreshToken } }),
      call("POST", "/trpc/auth.refresh", { body: { refreshToken: user.tokens.refreshToken } }),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const restToken = (a.body as { tokens: Tokens }).tokens.refreshToken;
    const trpcToken = (b.body as { result: { data: { tokens: Tokens } } }).result.data.tokens
      .refreshToken;
    expect(restToken).toBe(trpcToken);
  });
});

describe("revoked sessions", () => {
  it("refuses access after logout, logout-all and password change", async () => {
    const a = await newUser(base);
    await call("POST", "/v1/auth/logout", { body: { refreshToken: a.tokens.refreshToken } });
    await expectUnauthenticated(a.tokens.accessToken);

    const b = await newUser(base);
    await call("POST", "/v1/auth/logout-all", { token: b.tokens.accessToken });
    await expectUnauthenticated(b.tokens.accessToken);

    const c = await newUser(base);
    const second = await call("POST", "/v1/auth/login", {
      body: { email: c.email, password: PASSWORD },
    });
    await call("POST", "/v1/me/password", {
      token: c.tokens.accessToken,
      body: { currentPassword: PASSWORD, newPassword: "violet-tugboat-47-quartz" },
    });
    await expectUnauthenticated((second.body as { tokens: Tokens }).tokens.accessToken);
  });
});

describe("function-level authorization", () => {
  const adminCalls = (userId: string): [string, string, unknown][] => [
    ["GET", "/v1/admin/users", undefined],
    ["PUT", `/v1/admin/users/${userId}/roles`, { roles: ["admin"] }],
    ["POST", `/v1/admin/users/${userId}/sessions/revoke`, undefined],
  ];

  it("refuses every admin operation to a plain user on /v1 and /trpc, and changes nothing", async () => {
    const user = await newUser(base);
    for (const [method, path, body] of adminCalls(user.id)) {
      const res = await call(method, path, { token: user.tokens.accessToken, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(ErrorResponseSchema.parse(res.body).code).toBe("FORBIDDEN");
    }
    for (const procedure of ["admin.users.setRoles", "admin.users.revokeSessions"]) {
      const res = await call("POST", `/trpc/${procedure}`, {
        token: user.tokens.accessToken,
        body: { userId: user.id, roles: ["admin"] },
      });
      expect(res.status).toBe(403);
    }
    expect(
      (await call("GET", "/trpc/admin.users.list", { token: user.tokens.accessToken })).status,
    ).toBe(403);
    const me = await call("GET", "/v1/me", { token: user.tokens.accessToken });
    expect((me.body as { user: { roles: string[] } }).user.roles).toEqual(["user"]);
  });

  it("refuses admin operations without a token", async () => {
    for (const [method, path, body] of adminCalls("00000000-0000-4000-8000-000000000000")) {
      expect((await call(method, path, { body })).status).toBe(401);
    }
  });
});

describe("every admin operation, from the router itself", () => {
  const adminOps = listOperations().filter((op) => op.path.startsWith("/admin"));
  const sampleId = "00000000-0000-4000-8000-000000000000";

  it("has the admin operations of the contract", () => {
    expect(adminOps.length).toBeGreaterThanOrEqual(9);
  });

  it("refuses each to a plain user on /v1 and /trpc (403), and to no token (401)", async () => {
    const user = await newUser(base);
    for (const op of adminOps) {
      const path = `/v1${op.path.replace(/\{[^}]+\}/g, sampleId)}`;
      const body = op.hasBody ? { roles: ["admin"] } : undefined;
      const asUser = await call(op.method.toUpperCase(), path, {
        token: user.tokens.accessToken,
        body,
      });
      expect(asUser.status, `${op.method} ${path}`).toBe(403);
      const anonymous = await call(op.method.toUpperCase(), path, { body });
      expect(anonymous.status, `${op.method} ${path} without a token`).toBe(401);
      const trpcPath = `/trpc/${op.procedurePath}`;
      const input = { userId: sampleId, deadLetterId: sampleId, roles: ["admin"] };
      const trpc =
        op.method === "get"
          ? await call("GET", `${trpcPath}?input=${encodeURIComponent(JSON.stringify({}))}`, {
              token: user.tokens.accessToken,
            })
          : await call("POST", trpcPath, { token: user.tokens.accessToken, body: input });
      expect(trpc.status, trpcPath).toBe(403);
    }
  });
});

describe("mass assignment at registration", () => {
  it.each([
    { roles: ["admin"] },
    { role: "admin" },
    { id: "00000000-0000-4000-8000-000000000000" },
    { isAdmin: true },
  ])("refuses extra field %o and creates no account", async (extra) => {
    const email = `mass.${Date.now()}.${Math.random()}@example.com`;
    const res = await call("POST", "/v1/auth/register", {
      body: { email, password: PASSWORD, ...extra },
    });
    expect(res.status).toBe(400);
    expect(ErrorResponseSchema.parse(res.body).code).toBe("VALIDATION_FAILED");
    const login = await call("POST", "/v1/auth/login", { body: { email, password: PASSWORD } });
    expect(login.status).toBe(401);
  });
});

describe("error bodies", () => {
  it("never carry a stack trace, SQL or driver messages, even for an internal failure", async () => {
    const admin = await adminTokens(base);
    await call("GET", "/v1/admin/users?cursor=not-a-cursor", { token: admin.accessToken });
    await call("POST", "/v1/auth/login", {
      raw: "{",
      headers: { "content-type": "application/json" },
    });
    await call("POST", "/trpc/auth.login", {
      raw: "{",
      headers: { "content-type": "application/json" },
    });
    await call("GET", "/v1/admin/users?limit=abc", { token: admin.accessToken });

    // Break the database under a live server: the failure must surface as a bare 500.
    const broken = await startTestServer();
    try {
      const user = await newUserOn(broken.url);
      await broken.running.database.close();
      const rest = await http(broken.url, "GET", "/v1/me", { token: user.accessToken });
      const trpc = await http(broken.url, "GET", "/trpc/me.get", { token: user.accessToken });
      errorBodies.push(rest.text, trpc.text);
      expect(rest.status).toBe(500);
      expect(ErrorResponseSchema.parse(rest.body)).toMatchObject({
        code: "INTERNAL_ERROR",
        message: "Something went wrong on our side",
      });
      expect(trpc.status).toBe(500);
    } finally {
      await broken.running.stop().catch(() => undefined);
    }

    expect(errorBodies.length).toBeGreaterThan(20);
    for (const body of errorBodies) {
      expect(body).not.toMatch(
        /\bat .+:\d+:\d+|node_modules|stack|select |postgres|drizzle|ZodError|TypeError/i,
      );
    }
  });
});

async function newUserOn(url: string): Promise<Tokens> {
  const res = await http<{ tokens: Tokens }>(url, "POST", "/v1/auth/register", {
    body: { email: `broken.${Date.now()}@example.com`, password: PASSWORD },
  });
  return res.body.tokens;
}
