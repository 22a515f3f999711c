import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";

const utf8 = new TextEncoder();

/** 256 random bits, base64url: refresh tokens and other opaque secrets. */
export function randomToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return encodeBase64urlNoPadding(bytes);
}

// Hashes run on every authenticated request and refresh: node:crypto (OpenSSL) does them in
// a quarter of the time of @oslojs/crypto's portable JavaScript.

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function hmacSha256(key: Uint8Array, message: Uint8Array | string): Uint8Array {
  return createHmac("sha256", key).update(message).digest();
}

export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export { utf8 };
