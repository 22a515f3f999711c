/**
 * Secret strength policy. A secret must carry at least 256 bits by a conservative estimate:
 * length times log2 of the character pool it draws from, and a character distribution that
 * is not degenerate (`aaaa…`, `abab…`). `openssl rand -base64 32` and `openssl rand -hex 32`
 * both pass.
 */
export const MIN_SECRET_BITS = 256;

const PLACEHOLDER_PATTERN =
  /change.?me|changeit|placeholder|example|your.?secret|secret.?key|replace.?me|dummy|default|insecure|password|xxxxx/i;

function poolSize(value: string): number {
  if (/^[0-9a-f]+$/i.test(value)) return 16;
  let pool = 0;
  if (/[a-z]/.test(value)) pool += 26;
  if (/[A-Z]/.test(value)) pool += 26;
  if (/[0-9]/.test(value)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(value)) pool += 33;
  return pool;
}

function shannonBitsPerChar(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function estimateSecretBits(value: string): number {
  if (value.length === 0) return 0;
  return Math.floor(value.length * Math.log2(poolSize(value)));
}

/** Returns why a secret is unacceptable, or null when it is fine. */
export function secretWeakness(value: string | undefined): string | null {
  if (value === undefined || value.length === 0) return "is missing";
  if (PLACEHOLDER_PATTERN.test(value)) return "looks like a placeholder";
  if (estimateSecretBits(value) < MIN_SECRET_BITS) {
    return `is too weak (needs ${MIN_SECRET_BITS} bits, e.g. \`openssl rand -base64 32\`)`;
  }
  if (shannonBitsPerChar(value) < 3) return "is too repetitive to be random";
  return null;
}
