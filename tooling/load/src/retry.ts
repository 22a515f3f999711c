/**
 * The Android client's retry rules (docs/android/networking.md), so the load model retries
 * exactly as phones do: only safe requests (GET/PUT/DELETE, or a POST carrying an
 * Idempotency-Key), only on I/O failures, 429, 502, 503, 504 (and, for a keyed request, 409
 * IDEMPOTENCY_REQUEST_IN_PROGRESS), at most 3 attempts, Retry-After first (up to 30 s), else
 * exponential backoff with full jitter, never past the 60 s call timeout.
 */
export const RETRY_POLICY = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 30_000,
  callTimeoutMs: 60_000,
};

export interface Outcome {
  method: string;
  keyed: boolean;
  /** 0 for an I/O failure (timeout, connection reset). */
  status: number;
  errorCode?: string | undefined;
  retryAfter?: string | undefined;
}

/** Milliseconds a Retry-After header asks for (delta seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | null {
  if (header === undefined || header.trim() === "") return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function retryable(outcome: Outcome): boolean {
  const safe = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].includes(outcome.method);
  if (!safe && !outcome.keyed) return false;
  if (outcome.status === 0) return true;
  if ([429, 502, 503, 504].includes(outcome.status)) return true;
  return (
    outcome.status === 409 &&
    outcome.keyed &&
    outcome.errorCode === "IDEMPOTENCY_REQUEST_IN_PROGRESS"
  );
}

/**
 * The wait before retrying after `attempt` attempts (1 = the first failed), or null when the
 * outcome is returned to the caller. `random` is in [0, 1) (full jitter).
 */
export function retryDelayMs(
  outcome: Outcome,
  attempt: number,
  elapsedMs: number,
  random: () => number = Math.random,
  now = Date.now(),
): number | null {
  if (!retryable(outcome) || attempt >= RETRY_POLICY.maxAttempts) return null;
  const asked = retryAfterMs(outcome.retryAfter, now);
  if (asked !== null && asked > RETRY_POLICY.maxRetryAfterMs) return null;
  const ceiling = Math.min(RETRY_POLICY.maxDelayMs, RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1));
  const wait = asked ?? Math.floor(random() * ceiling);
  return elapsedMs + wait >= RETRY_POLICY.callTimeoutMs ? null : wait;
}
