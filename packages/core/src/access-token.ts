import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { createJWTSignatureMessage, encodeJWT } from "@oslojs/jwt";

import type { AuthConfig } from "@runway/config";

import { hmacSha256, safeEqual, utf8 } from "./crypto";
import { AppError } from "./errors";

/** Accepted clock skew for `exp`, `nbf` and `iat`, in seconds. */
export const CLOCK_LEEWAY_SECONDS = 30;

export interface AccessClaims {
  userId: string;
  sessionId: string;
  expiresAt: Date;
}

/** One base64url segment, unpadded; a length of 4n+1 can never be valid base64. */
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const segmentOk = (segment: string) => SEGMENT.test(segment) && segment.length % 4 !== 1;

/**
 * Splits and decodes a compact JWS with node's native base64url decoder (the request path's
 * hottest parse). Node's decoder skips characters outside the alphabet, so each segment is
 * checked against it first: a token decodes only from its canonical spelling.
 */
function parseCompactJWT(
  token: string,
): { header: unknown; payload: unknown; signature: Uint8Array; message: string } | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [head = "", body = "", sig = ""] = parts;
  if (!segmentOk(head) || !segmentOk(body) || !segmentOk(sig)) return null;
  try {
    return {
      header: JSON.parse(Buffer.from(head, "base64url").toString("utf8")) as unknown,
      payload: JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as unknown,
      signature: Buffer.from(sig, "base64url"),
      message: `${head}.${body}`,
    };
  } catch {
    return null;
  }
}

interface SigningKey {
  kid: string;
  key: Uint8Array;
}

/** The key id is a fingerprint of the secret, so rotating JWT_SECRET rotates the kid too. */
function signingKey(secret: string): SigningKey {
  const key = utf8.encode(secret);
  const kid = encodeBase64urlNoPadding(sha256(utf8.encode(`runway-jwt-kid:${secret}`))).slice(
    0,
    16,
  );
  return { kid, key };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * HS256 access tokens. The algorithm is fixed here, never read from the token; only keys of
 * our own key set (current and previous secret) are tried, chosen by `kid`. jwk, jku and x5u
 * headers are never looked at.
 */
export class AccessTokens {
  private readonly current: SigningKey;
  private readonly keys: Map<string, SigningKey>;

  constructor(
    private readonly config: Pick<
      AuthConfig,
      "jwtSecret" | "jwtSecretPrevious" | "issuer" | "audience" | "accessTokenTtl"
    >,
  ) {
    this.current = signingKey(config.jwtSecret);
    this.keys = new Map([[this.current.kid, this.current]]);
    if (config.jwtSecretPrevious) {
      const previous = signingKey(config.jwtSecretPrevious);
      this.keys.set(previous.kid, previous);
    }
  }

  get ttlSeconds(): number {
    return this.config.accessTokenTtl;
  }

  sign(userId: string, sessionId: string, now: Date): string {
    const iat = Math.floor(now.getTime() / 1000);
    const header = JSON.stringify({ alg: "HS256", typ: "JWT", kid: this.current.kid });
    const payload = JSON.stringify({
      iss: this.config.issuer,
      aud: this.config.audience,
      sub: userId,
      sid: sessionId,
      typ: "access",
      iat,
      exp: iat + this.config.accessTokenTtl,
    });
    const signature = hmacSha256(this.current.key, createJWTSignatureMessage(header, payload));
    return encodeJWT(header, payload, signature);
  }

  /** Returns the claims of a valid token or throws UNAUTHENTICATED; never says why. */
  verify(token: string, now: Date): AccessClaims {
    const claims = this.check(token, now);
    if (!claims) throw new AppError("UNAUTHENTICATED");
    return claims;
  }

  private check(token: string, now: Date): AccessClaims | null {
    if (token.length > 4096) return null;
    const parsed = parseCompactJWT(token);
    if (!parsed) return null;
    const { header, payload, signature, message } = parsed;
    if (!isRecord(header) || !isRecord(payload)) return null;
    if (header.alg !== "HS256") return null;
    if (header.typ !== undefined && header.typ !== "JWT") return null;
    if ("crit" in header) return null;
    if (typeof header.kid !== "string") return null;
    const key = this.keys.get(header.kid);
    if (!key) return null;
    const expected = hmacSha256(key.key, message);
    if (!safeEqual(expected, signature)) return null;

    const seconds = now.getTime() / 1000;
    const { iss, aud, sub, sid, typ, exp, nbf, iat } = payload;
    if (iss !== this.config.issuer) return null;
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(this.config.audience)) return null;
    if (typ !== "access") return null;
    if (typeof sub !== "string" || !UUID.test(sub)) return null;
    if (typeof sid !== "string" || !UUID.test(sid)) return null;
    if (typeof exp !== "number" || exp + CLOCK_LEEWAY_SECONDS <= seconds) return null;
    if (nbf !== undefined && (typeof nbf !== "number" || nbf - CLOCK_LEEWAY_SECONDS > seconds))
      return null;
    if (typeof iat !== "number" || iat - CLOCK_LEEWAY_SECONDS > seconds) return null;
    return { userId: sub, sessionId: sid, expiresAt: new Date(exp * 1000) };
  }
}
