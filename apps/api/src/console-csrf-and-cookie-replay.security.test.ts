import { describe, expect, it } from "vitest";

import { CONSOLE_REFRESH_COOKIE, ConsoleSessionSchema } from "@runway/contracts";

import type { HttpResult } from "../test/harness";
import { ADMIN, newUser, PASSWORD, useTestServer } from "../test/harness";

/**
 * The admin console's browser flow: refresh token in an httpOnly, SameSite=Strict cookie on
 * /trpc, rotated with the body flow's rules, every cookie call guarded against CSRF.
 */
let clockOffsetMs = 0;
const suite = useTestServer(
  { REFRESH_REUSE_INTERVAL: "1" },
  { now: () => new Date(Date.now() + clockOffsetMs) },
);

interface TrpcError {
  error: { data: { code: string; requestId: string } };
}

function setCookie(res: HttpResult): string {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${CONSOLE_REFRESH_COOKIE}=`)) ?? "";
}
function cookieValue(res: HttpResult): string {
  return /^[^=]+=([^;]*)/.exec(setCookie(res))?.[1] ?? "";
}

async function consoleCall(
  procedure: "signIn" | "refresh" | "signOut",
  options: { body?: unknown; cookie?: string; csrf?: boolean; origin?: string | null } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.csrf !== false) headers["x-runway-csrf"] = "1";
  const origin = options.origin === undefined ? suite.base : options.origin;
  if (origin !== null) headers.origin = origin;
  if (options.cookie) headers.cookie = `${CONSOLE_REFRESH_COOKIE}=${options.cookie}`;
  return suite.call("POST", `/trpc/console.${procedure}`, {
    headers,
    body: options.body,
  });
}

const errorCode = (res: HttpResult) => (res.body as unknown as TrpcError).error.data.code;

describe("console sign-in", () => {
  it("signs an admin in: access token in the body, refresh token only in a strict cookie", async () => {
    const res = await consoleCall("signIn", { body: ADMIN });
    expect(res.status).toBe(200);
    const session = ConsoleSessionSchema.parse(
      (res.body as { result: { data: unknown } }).result.data,
    );
    expect(session.user.roles).toContain("admin");
    expect(res.text).not.toContain("refreshToken");
    const cookie = setCookie(res);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/trpc/);
    // Plain-HTTP development: not Secure, or the browser would drop it.
    expect(cookie).not.toMatch(/Secure/);
    const me = await suite.call("GET", "/v1/me", { token: session.accessToken });
    expect(me.status).toBe(200);
  });

  it("refuses a non-admin with FORBIDDEN, no cookie, and ends the session it opened", async () => {
    const user = await newUser(suite.base);
    const res = await consoleCall("signIn", { body: { email: user.email, password: PASSWORD } });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe("FORBIDDEN");
    expect(res.text).toContain("Only administrators");
    expect(setCookie(res)).toBe("");
    expect(res.text).not.toContain("accessToken");
  });

  it("refuses a wrong password with INVALID_CREDENTIALS", async () => {
    const res = await consoleCall("signIn", {
      body: { email: ADMIN.email, password: "nope-nope-nope" },
    });
    expect(res.status).toBe(401);
    expect(errorCode(res)).toBe("INVALID_CREDENTIALS");
  });
});

describe("console refresh and sign-out", () => {
  it("rotates the cookie, replays within the grace, and signs out on reuse", async () => {
    const first = cookieValue(await consoleCall("signIn", { body: ADMIN }));
    const rotated = await consoleCall("refresh", { cookie: first });
    expect(rotated.status).toBe(200);
    const second = cookieValue(rotated);
    expect(second).not.toBe(first);
    // Lost response: the same old cookie within the grace gets the same new one.
    const replay = await consoleCall("refresh", { cookie: first });
    expect(cookieValue(replay)).toBe(second);

    // Past the 1 s reuse grace, on the server's clock.
    clockOffsetMs += 1200;
    const reused = await consoleCall("refresh", { cookie: first });
    expect(reused.status).toBe(401);
    expect(errorCode(reused)).toBe("REFRESH_TOKEN_REUSED");
    expect(setCookie(reused)).toMatch(/Expires=Thu, 01 Jan 1970/);
    // The whole family is gone: the newest cookie no longer works either.
    const after = await consoleCall("refresh", { cookie: second });
    expect(errorCode(after)).toBe("INVALID_REFRESH_TOKEN");
  });

  it("signs out: the cookie is cleared and its session revoked", async () => {
    const signIn = await consoleCall("signIn", { body: ADMIN });
    const { accessToken } = (signIn.body as { result: { data: { accessToken: string } } }).result
      .data;
    const out = await consoleCall("signOut", { cookie: cookieValue(signIn) });
    expect(out.status).toBe(200);
    expect(setCookie(out)).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await consoleCall("refresh", { cookie: cookieValue(signIn) })).status).toBe(401);
    await expect
      .poll(async () => (await suite.call("GET", "/v1/me", { token: accessToken })).status)
      .toBe(401);
  });
});

describe("CSRF defence of cookie-authenticated calls", () => {
  it("refuses a refresh without the custom header, even with a valid cookie", async () => {
    const cookie = cookieValue(await consoleCall("signIn", { body: ADMIN }));
    const res = await consoleCall("refresh", { cookie, csrf: false });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe("CSRF_REJECTED");
    expect(setCookie(res)).toBe("");
    // The cookie was not spent by the refused call.
    expect((await consoleCall("refresh", { cookie })).status).toBe(200);
  });

  it("refuses a foreign or missing Origin, and sign-out without the header", async () => {
    const cookie = cookieValue(await consoleCall("signIn", { body: ADMIN }));
    for (const origin of ["https://evil.example", null]) {
      const res = await consoleCall("refresh", { cookie, origin });
      expect(errorCode(res)).toBe("CSRF_REJECTED");
    }
    expect(errorCode(await consoleCall("signOut", { cookie, csrf: false }))).toBe("CSRF_REJECTED");
    expect(errorCode(await consoleCall("signIn", { body: ADMIN, csrf: false }))).toBe(
      "CSRF_REJECTED",
    );
    expect((await consoleCall("refresh", { cookie })).status).toBe(200);
  });

  it("is not reachable over /v1 and leaves the Android body flow alone", async () => {
    const rest = await suite.call("POST", "/v1/console/sign-in", { body: ADMIN });
    expect(rest.status).toBe(404);
    const login = await suite.call("POST", "/v1/auth/login", { body: ADMIN });
    expect(login.status).toBe(200);
    expect(setCookie(login)).toBe("");
    expect(login.text).toContain("refreshToken");
  });
});
