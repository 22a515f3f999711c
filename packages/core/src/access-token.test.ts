import { createJWTSignatureMessage, encodeJWT } from "@oslojs/jwt";
import { describe, expect, it } from "vitest";

import { AccessTokens } from "./access-token";
import { hmacSha256, utf8 } from "./crypto";

const config = {
  jwtSecret: "k3J9vQ2mX8pL5rT1wZ6yB4nC7dF0gH2jK5mN8qR1tV4xY7zA",
  jwtSecretPrevious: null,
  issuer: "runway",
  audience: "runway-api",
  accessTokenTtl: 900,
};
const userId = "6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11";
const sessionId = "0a38cef9-ea1d-47e9-997b-a668333150ee";
const now = new Date("2026-11-26T10:00:00Z");
const tokens = new AccessTokens(config);
/** Every refusal is the same UNAUTHENTICATED error: the client never learns why. */
const unauthenticated = expect.objectContaining({
  name: "AppError",
  code: "UNAUTHENTICATED",
}) as unknown;

function b64url(value: string): string {
  return Buffer.from(value).toString("base64url");
}

function forge(header: object, payload: object, secret = config.jwtSecret): string {
  const h = JSON.stringify(header);
  const p = JSON.stringify(payload);
  return encodeJWT(h, p, hmacSha256(utf8.encode(secret), createJWTSignatureMessage(h, p)));
}

function validParts() {
  const token = tokens.sign(userId, sessionId, now);
  const [h, p] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(h!, "base64url").toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>,
  };
}

describe("access tokens", () => {
  it("round-trips the user and session with the documented claims", () => {
    const token = tokens.sign(userId, sessionId, now);
    expect(tokens.verify(token, now)).toMatchObject({ userId, sessionId });
    const { header, payload } = validParts();
    expect(header).toMatchObject({ alg: "HS256", typ: "JWT" });
    expect(typeof header.kid).toBe("string");
    expect(payload).toMatchObject({
      iss: "runway",
      aud: "runway-api",
      sub: userId,
      sid: sessionId,
      typ: "access",
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(900);
  });

  it("rejects a tampered payload", () => {
    const [h, , s] = tokens.sign(userId, sessionId, now).split(".");
    const other = b64url(
      JSON.stringify({ ...validParts().payload, sub: "00000000-0000-4000-8000-000000000000" }),
    );
    expect(() => tokens.verify(`${h}.${other}.${s}`, now)).toThrow(unauthenticated);
  });

  it("rejects a tampered signature", () => {
    const token = tokens.sign(userId, sessionId, now);
    const flipped = token.slice(0, -2) + (token.endsWith("A") ? "BB" : "AA");
    expect(() => tokens.verify(flipped, now)).toThrow(unauthenticated);
  });

  it.each(["none", "None", "NONE", "nOnE"])("rejects alg %s with or without a signature", (alg) => {
    const { header, payload } = validParts();
    const h = b64url(JSON.stringify({ ...header, alg }));
    const p = b64url(JSON.stringify(payload));
    expect(() => tokens.verify(`${h}.${p}.`, now)).toThrow(unauthenticated);
    expect(() => tokens.verify(`${h}.${p}`, now)).toThrow(unauthenticated);
    expect(() => tokens.verify(forge({ ...header, alg }, payload), now)).toThrow(unauthenticated);
  });

  it("rejects HS/RS confusion and other algorithms even with a valid HMAC", () => {
    const { header, payload } = validParts();
    for (const alg of ["RS256", "HS512", "ES256", "hs256"]) {
      expect(() => tokens.verify(forge({ ...header, alg }, payload), now)).toThrow(unauthenticated);
    }
  });

  it("ignores jwk/jku headers and unknown kids", () => {
    const { header, payload } = validParts();
    const attacker = "attacker-secret-attacker-secret-attacker-secret-123";
    expect(() =>
      tokens.verify(forge({ ...header, kid: "attacker" }, payload, attacker), now),
    ).toThrow(unauthenticated);
    expect(() =>
      tokens.verify(
        forge(
          { ...header, jku: "http://127.0.0.1/keys", jwk: { k: b64url(attacker) } },
          payload,
          attacker,
        ),
        now,
      ),
    ).toThrow(unauthenticated);
  });

  it("rejects expired, not-yet-valid and future-issued tokens beyond the leeway", () => {
    const token = tokens.sign(userId, sessionId, now);
    expect(() => tokens.verify(token, new Date(now.getTime() + 931_000))).toThrow(unauthenticated);
    expect(tokens.verify(token, new Date(now.getTime() + 920_000))).toBeTruthy();
    const { header, payload } = validParts();
    expect(() =>
      tokens.verify(forge(header, { ...payload, nbf: (payload.iat as number) + 120 }), now),
    ).toThrow(unauthenticated);
    expect(() =>
      tokens.verify(forge(header, { ...payload, iat: (payload.iat as number) + 120 }), now),
    ).toThrow(unauthenticated);
  });

  it("rejects the wrong issuer, audience or token type", () => {
    const { header, payload } = validParts();
    expect(() => tokens.verify(forge(header, { ...payload, iss: "evil" }), now)).toThrow(
      unauthenticated,
    );
    expect(() => tokens.verify(forge(header, { ...payload, aud: "other-api" }), now)).toThrow(
      unauthenticated,
    );
    expect(() => tokens.verify(forge(header, { ...payload, typ: "refresh" }), now)).toThrow(
      unauthenticated,
    );
    expect(
      tokens.verify(forge(header, { ...payload, aud: ["x", "runway-api"] }), now),
    ).toBeTruthy();
  });

  it("rejects garbage, truncated and opaque refresh-style tokens", () => {
    const token = tokens.sign(userId, sessionId, now);
    for (const bad of [
      "",
      "garbage",
      "a.b.c",
      token.slice(0, token.length - 10),
      token.split(".").slice(0, 2).join("."),
      "q3x0dYQ7bmJc6mO2g9pU4XUMx8s1aRk0Wl9bP3zTgQE",
      "x".repeat(5000),
    ]) {
      expect(() => tokens.verify(bad, now)).toThrow(unauthenticated);
    }
  });

  it("accepts tokens signed with the previous secret during rotation, then stops", () => {
    const old = new AccessTokens(config);
    const token = old.sign(userId, sessionId, now);
    const rotated = new AccessTokens({
      ...config,
      jwtSecret: "N8qR1tV4xY7zAk3J9vQ2mX8pL5rT1wZ6yB4nC7dF0gH2jK5m",
      jwtSecretPrevious: config.jwtSecret,
    });
    expect(rotated.verify(token, now)).toMatchObject({ userId });
    const finished = new AccessTokens({
      ...config,
      jwtSecret: "N8qR1tV4xY7zAk3J9vQ2mX8pL5rT1wZ6yB4nC7dF0gH2jK5m",
    });
    expect(() => finished.verify(token, now)).toThrow(unauthenticated);
  });
});
