import { AppError } from "@runway/core";

/** The status an accepted import answers with; a replay of its key answers the same. */
export const ACCEPTED = 202;

/** `"abc"` and `abc` are the same key (IETF httpapi draft: the value is a quoted string). */
export function parseIdempotencyKey(header: string | undefined): string {
  if (header === undefined || header.trim() === "") {
    throw new AppError("IDEMPOTENCY_KEY_MISSING", "The Idempotency-Key header is required");
  }
  const trimmed = header.trim();
  const key =
    trimmed.length > 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
      ? trimmed.slice(1, -1)
      : trimmed;
  if (key.length === 0 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new AppError(
      "IDEMPOTENCY_KEY_INVALID",
      "Idempotency-Key must be 1 to 255 visible ASCII characters",
    );
  }
  return key;
}
