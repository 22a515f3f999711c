import { createHmac } from "node:crypto";
import { and, eq, lte, sql } from "drizzle-orm";

import type { ImportResponse } from "@runway/contracts";
import type { Executor } from "@runway/db";
import { idempotencyKeys } from "@runway/db";

import type { Core } from "./context";
import { AppError } from "./errors";

// The Idempotency-Key store: one record per user and key, holding the request's fingerprint
// and, once the request is done, the response a replay gets.

/** How long a first request may hold its Idempotency-Key before a retry may take it over. */
const IDEMPOTENCY_LOCK_MS = 60_000;

/** What the first request answered, replayed as is. */
export interface StoredResponse {
  status: number;
  body: ImportResponse;
}

export type Claim = { kind: "claimed" } | { kind: "replay"; response: StoredResponse };

/** Keyed: a request fingerprint is derived from its contacts. */
export function requestFingerprint(core: Core, request: unknown): string {
  return createHmac("sha256", core.imports.fingerprintKey)
    .update(JSON.stringify(request))
    .digest("hex");
}

const inProgress = () =>
  new AppError(
    "IDEMPOTENCY_REQUEST_IN_PROGRESS",
    "A request with this Idempotency-Key is still in progress",
  );

const byKey = (userId: string, key: string) =>
  and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));

/**
 * Claims `key` for a new request, or returns the stored response of a finished one. The same
 * key with another fingerprint is refused; one held by a live request is "in progress".
 */
export async function claimKey(
  core: Core,
  userId: string,
  key: string,
  fingerprint: string,
): Promise<Claim> {
  for (let round = 0; round < 2; round++) {
    const now = core.now();
    const inserted = await core.db
      .insert(idempotencyKeys)
      .values({
        userId,
        key,
        fingerprint,
        createdAt: now,
        lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS),
        expiresAt: new Date(now.getTime() + core.imports.idempotencyTtl * 1000),
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) return { kind: "claimed" };

    const [row] = await core.db.select().from(idempotencyKeys).where(byKey(userId, key));
    if (!row) continue;
    if (row.expiresAt <= now) {
      await core.db
        .delete(idempotencyKeys)
        .where(and(byKey(userId, key), lte(idempotencyKeys.expiresAt, now)));
      continue;
    }
    if (row.fingerprint !== fingerprint) {
      throw new AppError(
        "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was used with a different request",
      );
    }
    if (row.responseStatus !== null) {
      return {
        kind: "replay",
        response: { status: row.responseStatus, body: row.responseBody as ImportResponse },
      };
    }
    // In flight: unless its holder died (lock expired), the client must wait.
    const taken = await core.db
      .update(idempotencyKeys)
      .set({ lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS) })
      .where(
        and(
          byKey(userId, key),
          sql`${idempotencyKeys.responseStatus} is null`,
          lte(idempotencyKeys.lockedUntil, now),
        ),
      )
      .returning({ key: idempotencyKeys.key });
    if (taken.length > 0) return { kind: "claimed" };
    throw inProgress();
  }
  throw inProgress();
}

/** Records the response of a claimed key, in the transaction that stored the import. */
export async function storeResponse(
  tx: Executor,
  userId: string,
  key: string,
  importId: string,
  response: StoredResponse,
): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ responseStatus: response.status, responseBody: response.body, importId })
    .where(byKey(userId, key));
}

/** Nothing was accepted: frees the key so the client can retry. */
export async function releaseKey(core: Core, userId: string, key: string): Promise<void> {
  await core.db
    .delete(idempotencyKeys)
    .where(byKey(userId, key))
    .catch(() => undefined);
}
