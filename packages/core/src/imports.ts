import { createHmac } from "node:crypto";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { and, asc, desc, eq, gt, lt, lte, or, sql } from "drizzle-orm";

import type {
  CreateImportInput,
  Import,
  ImportItem,
  ImportResponse,
  ImportStatus,
} from "@runway/contracts";
import type { Executor } from "@runway/db";
import { idempotencyKeys, importItems, imports } from "@runway/db";

import type { Core, RequestMeta } from "./context";
import type { NormalizedItem } from "./pii";
import { AppError } from "./errors";
import { decodeCursor, decodeIndexCursor, encodeIndexCursor, toPage } from "./pagination";
import { normalizeItem } from "./pii";

type ImportRow = typeof imports.$inferSelect;

/** How long a first request may hold its Idempotency-Key before a retry may take it over. */
const IDEMPOTENCY_LOCK_MS = 60_000;
/** Items normalized between two yields to the event loop, so big imports do not stall others. */
const NORMALIZE_CHUNK = 500;

export function toImport(row: ImportRow): Import {
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    totalItems: row.totalItems,
    validItems: row.validItems,
    invalidItems: row.invalidItems,
    duplicateItems: row.duplicateItems,
    matchedItems: row.matchedItems,
    attempts: row.attempts,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

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

export interface CreateImportResult {
  status: number;
  body: ImportResponse;
  replayed: boolean;
}

type Claim = { kind: "claimed" } | { kind: "replay"; status: number; body: ImportResponse };

async function claimKey(
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

    const [row] = await core.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
    if (!row) continue;
    if (row.expiresAt <= now) {
      await core.db
        .delete(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.userId, userId),
            eq(idempotencyKeys.key, key),
            lte(idempotencyKeys.expiresAt, now),
          ),
        );
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
        status: row.responseStatus,
        body: row.responseBody as ImportResponse,
      };
    }
    // In flight: unless its holder died (lock expired), the client must wait.
    const taken = await core.db
      .update(idempotencyKeys)
      .set({ lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS) })
      .where(
        and(
          eq(idempotencyKeys.userId, userId),
          eq(idempotencyKeys.key, key),
          sql`${idempotencyKeys.responseStatus} is null`,
          lte(idempotencyKeys.lockedUntil, now),
        ),
      )
      .returning({ key: idempotencyKeys.key });
    if (taken.length > 0) return { kind: "claimed" };
    throw new AppError(
      "IDEMPOTENCY_REQUEST_IN_PROGRESS",
      "A request with this Idempotency-Key is still in progress",
    );
  }
  throw new AppError(
    "IDEMPOTENCY_REQUEST_IN_PROGRESS",
    "A request with this Idempotency-Key is still in progress",
  );
}

async function normalizeAll(core: Core, input: CreateImportInput): Promise<NormalizedItem[]> {
  const out: NormalizedItem[] = [];
  for (let start = 0; start < input.items.length; start += NORMALIZE_CHUNK) {
    const chunk = input.items.slice(start, start + NORMALIZE_CHUNK);
    chunk.forEach((item, offset) =>
      out.push(normalizeItem(core.imports.piiKey, item, start + offset, input.defaultRegion)),
    );
    await yieldToEventLoop();
  }
  return out;
}

/**
 * Accepts an import under an Idempotency-Key: the job and all its items are stored in one
 * transaction together with the response a replay will get. `admit` runs only for a new
 * request, before anything is stored (a budget check: throwing refuses the request and frees
 * the key). The caller enqueues the job only for a fresh (not replayed) result, after this has
 * committed.
 */
export async function createImport(
  core: Core,
  userId: string,
  idempotencyKey: string,
  input: CreateImportInput,
  meta: RequestMeta,
  admit: () => Promise<void> = () => Promise.resolve(),
): Promise<CreateImportResult> {
  const fingerprint = createHmac("sha256", core.imports.fingerprintKey)
    .update(JSON.stringify(input))
    .digest("hex");
  const claim = await claimKey(core, userId, idempotencyKey, fingerprint);
  if (claim.kind === "replay") return { status: claim.status, body: claim.body, replayed: true };

  try {
    await admit();
    const items = await normalizeAll(core, input);
    const body = await core.db.transaction(async (tx) => {
      const now = core.now();
      const [row] = await tx
        .insert(imports)
        .values({
          userId,
          source: input.source,
          totalItems: items.length,
          invalidItems: items.filter((item) => item.status === "invalid").length,
          requestId: meta.requestId,
          createdAt: now,
          runAfter: now,
        })
        .returning();
      if (!row) throw new Error("import insert returned nothing");
      // One statement for all items: the rows travel as a single JSON parameter.
      await tx.execute(sql`
        insert into import_items
          (import_id, idx, status, reason, email_hash, phone_hash, name_masked, email_masked, phone_masked)
        select ${row.id}, x.idx, x.status, x.reason, x."emailHash", x."phoneHash",
               x."nameMasked", x."emailMasked", x."phoneMasked"
        from jsonb_to_recordset(${JSON.stringify(items)}::jsonb) as x(
          idx int, status text, reason text, "emailHash" text, "phoneHash" text,
          "nameMasked" text, "emailMasked" text, "phoneMasked" text)`);
      const response: ImportResponse = { import: toImport(row) };
      await tx
        .update(idempotencyKeys)
        .set({ responseStatus: 202, responseBody: response, importId: row.id })
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, idempotencyKey)));
      return response;
    });
    return { status: 202, body, replayed: false };
  } catch (error) {
    // Nothing was accepted: free the key so the client can retry.
    await core.db
      .delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, idempotencyKey)))
      .catch(() => undefined);
    throw error;
  }
}

function keysetAfter(cursor: string | undefined) {
  if (!cursor) return undefined;
  const position = decodeCursor(cursor);
  return or(
    lt(imports.createdAt, position.createdAt),
    and(eq(imports.createdAt, position.createdAt), lt(imports.id, position.id)),
  );
}

export async function listImports(
  core: Core,
  userId: string | null,
  input: { limit: number; cursor?: string | undefined; status?: ImportStatus | undefined },
) {
  const rows = await core.db
    .select()
    .from(imports)
    .where(
      and(
        userId ? eq(imports.userId, userId) : undefined,
        input.status ? eq(imports.status, input.status) : undefined,
        keysetAfter(input.cursor),
      ),
    )
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(input.limit + 1);
  const page = toPage(rows, input.limit, (row) => ({ createdAt: row.createdAt, id: row.id }));
  return { rows: page.items, nextCursor: page.nextCursor };
}

/**
 * A user sees only their own imports; anyone else's is indistinguishable from a missing one.
 * `null` is an admin, who sees every import.
 */
export async function ownImport(
  db: Executor,
  userId: string | null,
  importId: string,
): Promise<ImportRow> {
  const [row] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.id, importId), userId ? eq(imports.userId, userId) : undefined));
  if (!row) throw new AppError("NOT_FOUND", "Import not found");
  return row;
}

export async function getImport(core: Core, userId: string, importId: string): Promise<Import> {
  return toImport(await ownImport(core.db, userId, importId));
}

export async function listImportItems(
  core: Core,
  userId: string | null,
  input: { importId: string; limit: number; cursor?: string | undefined },
): Promise<{ items: ImportItem[]; nextCursor: string | null }> {
  await ownImport(core.db, userId, input.importId);
  const after = input.cursor ? decodeIndexCursor(input.cursor) : -1;
  const rows = await core.db
    .select()
    .from(importItems)
    .where(and(eq(importItems.importId, input.importId), gt(importItems.idx, after)))
    .orderBy(asc(importItems.idx))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items: items.map((row) => ({
      index: row.idx,
      status: row.status,
      reason: row.reason,
      nameMasked: row.nameMasked,
      emailMasked: row.emailMasked,
      phoneMasked: row.phoneMasked,
      matched: row.matched,
    })),
    nextCursor: rows.length > input.limit && last ? encodeIndexCursor(last.idx) : null,
  };
}

/**
 * Erases the job, its items and the Idempotency-Key record that created it (they cascade); a
 * worker that picks it up later finds nothing. The key is forgotten with the import: a request
 * with it afterwards is a new request.
 */
export async function deleteImport(core: Core, userId: string, importId: string): Promise<void> {
  const deleted = await core.db
    .delete(imports)
    .where(and(eq(imports.id, importId), eq(imports.userId, userId)))
    .returning({ id: imports.id });
  if (deleted.length === 0) throw new AppError("NOT_FOUND", "Import not found");
}

/**
 * 95th percentile of processing time (first attempt's start to completion) of the imports
 * created in the last `sinceSeconds` and completed, across all workers; null when none.
 */
export async function importTimeP95(core: Core, sinceSeconds = 3600): Promise<number | null> {
  const since = new Date(core.now().getTime() - sinceSeconds * 1000);
  const [row] = await core.db
    .select({
      p95: sql<
        number | string | null
      >`percentile_cont(0.95) within group (order by extract(epoch from ${imports.completedAt} - ${imports.startedAt}))`,
    })
    .from(imports)
    .where(and(eq(imports.status, "completed"), gt(imports.createdAt, since)));
  return row?.p95 === null || row?.p95 === undefined ? null : Number(row.p95);
}
