import type { CountryCode } from "libphonenumber-js";
import { createHmac, hkdfSync } from "node:crypto";
import { parsePhoneNumberFromString } from "libphonenumber-js";

import type { ImportItemInput, InvalidReason } from "@runway/contracts";
import { isWellFormedText } from "@runway/contracts";

import { maskEmail, maskName } from "./mask";

/**
 * Contact PII is reduced on arrival to keyed hashes of the normalized values (for matching and
 * dedupe) and masked previews (for people). The raw values go no further than this module.
 */
export type PiiKey = Buffer;

export function piiKey(secret: string): PiiKey {
  return Buffer.from(secret, "utf8");
}

/** A key of its own for Idempotency-Key fingerprints, derived from the PII key (HKDF). */
export function fingerprintKey(secret: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", Buffer.from(secret, "utf8"), "", "runway/idempotency-fingerprint", 32),
  );
}

export function hashEmail(key: PiiKey, normalizedEmail: string): string {
  return createHmac("sha256", key).update(`email:${normalizedEmail}`).digest("hex");
}

export function hashPhone(key: PiiKey, e164: string): string {
  return createHmac("sha256", key).update(`phone:${e164}`).digest("hex");
}

export function normalizeEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  return email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(email) ? email : null;
}

/** `+82 10-1234-5678` -> `+82 10-****-5678`: country code, first group and last four digits stay. */
export function maskPhone(international: string): string {
  const space = international.indexOf(" ");
  const country = space > 0 ? international.slice(0, space + 1) : "";
  const rest = international.slice(country.length);
  const firstGroupEnd = rest.search(/[^0-9]/);
  const totalDigits = rest.replace(/\D/g, "").length;
  let seen = 0;
  let masked = "";
  for (const [position, ch] of Array.from(rest).entries()) {
    if (!/\d/.test(ch)) {
      masked += ch;
      continue;
    }
    seen++;
    const inFirstGroup =
      firstGroupEnd > 0 && position < firstGroupEnd && firstGroupEnd < rest.length - 4;
    masked += inFirstGroup || seen > totalDigits - 4 ? ch : "*";
  }
  return country + masked;
}

export interface NormalizedItem {
  idx: number;
  status: "valid" | "invalid";
  reason: InvalidReason | null;
  emailHash: string | null;
  phoneHash: string | null;
  nameMasked: string | null;
  emailMasked: string | null;
  phoneMasked: string | null;
}

export function normalizeItem(
  key: PiiKey,
  item: ImportItemInput,
  idx: number,
  region: string | undefined,
): NormalizedItem {
  const name = item.name?.trim() ?? "";
  const rawEmail = item.email?.trim() ?? "";
  const rawPhone = item.phone?.trim() ?? "";
  const result: NormalizedItem = {
    idx,
    status: "valid",
    reason: null,
    emailHash: null,
    phoneHash: null,
    nameMasked: name ? maskName(name) : null,
    emailMasked: null,
    phoneMasked: null,
  };
  if (!name && !rawEmail && !rawPhone) return { ...result, status: "invalid", reason: "EMPTY" };
  // A lone UTF-16 surrogate is not text: PostgreSQL cannot store it, and nothing can mask it.
  if (![name, rawEmail, rawPhone].every(isWellFormedText)) {
    return { ...result, nameMasked: null, status: "invalid", reason: "MALFORMED_TEXT" };
  }

  if (rawEmail) {
    const email = normalizeEmail(rawEmail);
    result.emailMasked = maskEmail(email ?? rawEmail);
    if (email) result.emailHash = hashEmail(key, email);
    else return { ...result, status: "invalid", reason: "INVALID_EMAIL" };
  }
  if (rawPhone) {
    const phone = parsePhoneNumberFromString(rawPhone, region as CountryCode | undefined);
    if (!phone?.isValid())
      return { ...result, emailHash: null, status: "invalid", reason: "INVALID_PHONE" };
    result.phoneMasked = maskPhone(phone.formatInternational());
    result.phoneHash = hashPhone(key, phone.number);
  }
  return result;
}
