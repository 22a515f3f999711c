import { hmac } from "@oslojs/crypto/hmac";
import { SHA256, sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase64urlNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

const utf8 = new TextEncoder();

/** 256 random bits, base64url: refresh tokens and other opaque secrets. */
export function randomToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return encodeBase64urlNoPadding(bytes);
}

export function sha256Hex(value: string): string {
  return encodeHexLowerCase(sha256(utf8.encode(value)));
}

export function hmacSha256(key: Uint8Array, message: Uint8Array | string): Uint8Array {
  return hmac(SHA256, key, typeof message === "string" ? utf8.encode(message) : message);
}

export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && constantTimeEqual(a, b);
}

export { utf8 };
