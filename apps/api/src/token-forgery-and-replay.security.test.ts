import { describe, expect, it } from "vitest";

import { ErrorResponseSchema } from "@runway/contracts";

import type { Tokens } from "../test/harness";
import { newUser, PASSWORD, useTestServer } from "../test/harness";

/** Attacks on credentials: forged, tampered, expired and misused tokens; stolen refresh tokens; sessions that were ended. */
const suite = useTestServer();

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

async function expectUnauthenticated(token: string) {
  const rest = await suite.call("GET", "/v1/me", { token });
  expect(rest.status).toBe(401);
  expect(ErrorResponseSchema.parse(rest.body).code).toBe("UNAUTHENTICATED");
  const trpc = await suite.call("GET", "/trpc/me.get", { token });
  expect(trpc.status).toBe(401);
}

describe("forged and misused access tokens", () => {
  it("refuses a tampered token", async () => {
    const user = await newUser(suite.base);
    const [h, p, s] = user.tokens.accessToken.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const other = await newUser(suite.base);
    await expectUnauthenticated(`${h}.${b64({ ...claims, sub: other.id })}.${s}`);
  });

  it.each(["none", "NONE", "nOnE"])("refuses alg=%s", async (alg) => {
    const user = await newUser(suite.base);
    const [h, p] = user.tokens.accessToken.split(".");
    const header = JSON.parse(Buffer.from(h!, "base64url").toString()) as Record<string, unknown>;
    await expectUnauthenticated(`${b64({ ...header, alg })}.${p}.`);
  });

  it("refuses a refresh token used as an access token", async () => {
    const user = await newUser(suite.base);
    await expectUnauthenticated(user.tokens.refreshToken);
  });

  it("refuses an expired token", async () => {
    const user = await newUser(suite.base);
    const [, p] = user.tokens.accessToken.split(".");
    const { sid } = JSON.parse(Buffer.from(p!, "base64url").toString()) as { sid: string };
    const expired = suite.server.running.core.tokens.sign(
      user.id,
      sid,
      new Date(Date.now() - 3600_000),
    );
    await expectUnauthenticated(expired);
  });

  it("refuses garbage and a missing scheme", async () => {
    await expectUnauthenticated("garbage");
    const res = await suite.call("GET", "/v1/me", {
      headers: { authorization: "Basic YWRtaW46YWRtaW4=" },
    });
    expect(res.status).toBe(401);
  });
});

describe("refresh token theft", () => {
  it("reuse of a rotated token ends the family; the thief's and the victim's tokens all stop", async () => {
    const user = await newUser(suite.base);
    const victim = await suite.call("POST", "/v1/auth/refresh", {
      body: { refreshToken: user.tokens.refreshToken },
    });
    const child = (victim.body as { tokens: Tokens }).tokens;
    const grand = await suite.call("POST", "/v1/auth/refresh", {
      body: { refreshToken: child.refreshToken },
    });
    expect(grand.status).toBe(200);
    const stolen = await suite.call("POST", "/v1/auth/refresh", {
      body: { refreshToken: user.tokens.refreshToken },
    });
    expect(stolen.status).toBe(401);
    expect(ErrorResponseSchema.parse(stolen.body).code).toBe("REFRESH_TOKEN_REUSED");
    const latest = (grand.body as { tokens: Tokens }).tokens;
    const after = await suite.call("POST", "/v1/auth/refresh", {
      body: { refreshToken: latest.refreshToken },
    });
    expect(after.status).toBe(401);
    await expectUnauthenticated(latest.accessToken);
  });

  it("two parallel refreshes of one token rotate once and both get the same pair", async () => {
    const user = await newUser(suite.base);
    const [a, b] = await Promise.all([
      suite.call("POST", "/v1/auth/refresh", { body: { refreshToken: user.tokens.refreshToken } }),
      suite.call("POST", "/trpc/auth.refresh", {
        body: { refreshToken: user.tokens.refreshToken },
      }),
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
    const a = await newUser(suite.base);
    await suite.call("POST", "/v1/auth/logout", { body: { refreshToken: a.tokens.refreshToken } });
    await expectUnauthenticated(a.tokens.accessToken);

    const b = await newUser(suite.base);
    await suite.call("POST", "/v1/auth/logout-all", { token: b.tokens.accessToken });
    await expectUnauthenticated(b.tokens.accessToken);

    const c = await newUser(suite.base);
    const second = await suite.call("POST", "/v1/auth/login", {
      body: { email: c.email, password: PASSWORD },
    });
    await suite.call("POST", "/v1/me/password", {
      token: c.tokens.accessToken,
      body: { currentPassword: PASSWORD, newPassword: "violet-tugboat-47-quartz" },
    });
    await expectUnauthenticated((second.body as { tokens: Tokens }).tokens.accessToken);
  });
});
