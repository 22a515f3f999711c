import { describe, expect, it } from "vitest";

import { listOperations } from "@runway/api";
import { ErrorResponseSchema } from "@runway/contracts";

import { newUser, PASSWORD, useTestServer } from "../test/harness";

/** Attacks on authorization: user calls to admin operations (BFLA) and fields smuggled into bodies (mass assignment). */
const suite = useTestServer();

describe("function-level authorization", () => {
  const adminCalls = (userId: string): [string, string, unknown][] => [
    ["GET", "/v1/admin/users", undefined],
    ["PUT", `/v1/admin/users/${userId}/roles`, { roles: ["admin"] }],
    ["POST", `/v1/admin/users/${userId}/sessions/revoke`, undefined],
  ];

  it("refuses every admin operation to a plain user on /v1 and /trpc, and changes nothing", async () => {
    const user = await newUser(suite.base);
    for (const [method, path, body] of adminCalls(user.id)) {
      const res = await suite.call(method, path, { token: user.tokens.accessToken, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(ErrorResponseSchema.parse(res.body).code).toBe("FORBIDDEN");
    }
    for (const procedure of ["admin.users.setRoles", "admin.users.revokeSessions"]) {
      const res = await suite.call("POST", `/trpc/${procedure}`, {
        token: user.tokens.accessToken,
        body: { userId: user.id, roles: ["admin"] },
      });
      expect(res.status).toBe(403);
    }
    expect(
      (await suite.call("GET", "/trpc/admin.users.list", { token: user.tokens.accessToken }))
        .status,
    ).toBe(403);
    const me = await suite.call("GET", "/v1/me", { token: user.tokens.accessToken });
    expect((me.body as { user: { roles: string[] } }).user.roles).toEqual(["user"]);
  });

  it("refuses admin operations without a token", async () => {
    for (const [method, path, body] of adminCalls("00000000-0000-4000-8000-000000000000")) {
      expect((await suite.call(method, path, { body })).status).toBe(401);
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
    const user = await newUser(suite.base);
    for (const op of adminOps) {
      const path = `/v1${op.path.replace(/\{[^}]+\}/g, sampleId)}`;
      const body = op.hasBody ? { roles: ["admin"] } : undefined;
      const asUser = await suite.call(op.method.toUpperCase(), path, {
        token: user.tokens.accessToken,
        body,
      });
      expect(asUser.status, `${op.method} ${path}`).toBe(403);
      const anonymous = await suite.call(op.method.toUpperCase(), path, { body });
      expect(anonymous.status, `${op.method} ${path} without a token`).toBe(401);
      const trpcPath = `/trpc/${op.procedurePath}`;
      const input = { userId: sampleId, deadLetterId: sampleId, roles: ["admin"] };
      const trpc =
        op.method === "get"
          ? await suite.call("GET", `${trpcPath}?input=${encodeURIComponent(JSON.stringify({}))}`, {
              token: user.tokens.accessToken,
            })
          : await suite.call("POST", trpcPath, { token: user.tokens.accessToken, body: input });
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
    const res = await suite.call("POST", "/v1/auth/register", {
      body: { email, password: PASSWORD, ...extra },
    });
    expect(res.status).toBe(400);
    expect(ErrorResponseSchema.parse(res.body).code).toBe("VALIDATION_FAILED");
    const login = await suite.call("POST", "/v1/auth/login", {
      body: { email, password: PASSWORD },
    });
    expect(login.status).toBe(401);
  });
});
