import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { and, asc, eq, gt, sql } from "drizzle-orm";

import type { CreateImportInput, Import, ImportItem, ImportStatus } from "@runway/contracts";
import type { Database, Executor } from "@runway/db";
import { importItems, imports } from "@runway/db";

import type { Core, Dispatch, RequestMeta } from "./context";
import type { StoredResponse } from "./idempotency";
import type { NormalizedItem } from "./pii";
import { AppError } from "./errors";
import { claimKey, releaseKey, requestFingerprint, storeResponse } from "./idempotency";
import {
  decodeCursor,
  decodeIndexCursor,
  encodeCursor,
  encodeIndexCursor,
  keysetAfterPlaceholders,
  newestFirst,
  toPage,
} from "./pagination";
import { normalizeItem } from "./pii";
import { preparedQuery } from "./prepared";

type ImportRow = typeof imports.$inferSelect;

/**
 * An ISO 8601 UTC timestamp exactly as `Date.toISOString` writes it, formatted by PostgreSQL.
 * The columns keep milliseconds (`tz()`), so `MS` is the stored value. A page of the list has
 * up to 63 timestamps: parsing each into a Date and formatting it back cost about 40 µs of
 * the API's main thread per request (docs/performance.md, sixth pass).
 */
export const isoTimestamp = <T extends string | null>(column: AnyPgColumn) =>
  sql<T>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The columns an import's view shows, and its owner for the admin's: the hot reads select these
 * and no more (the request id and the dispatcher's `runAfter` would be one more timestamp to
 * format per row, for nothing). Timestamps come as ISO text.
 */
const SHOWN = {
  id: imports.id,
  userId: imports.userId,
  status: imports.status,
  source: imports.source,
  totalItems: imports.totalItems,
  validItems: imports.validItems,
  invalidItems: imports.invalidItems,
  duplicateItems: imports.duplicateItems,
  matchedItems: imports.matchedItems,
  attempts: imports.attempts,
  error: imports.error,
  createdAt: isoTimestamp<string>(imports.createdAt),
  startedAt: isoTimestamp<string | null>(imports.startedAt),
  completedAt: isoTimestamp<string | null>(imports.completedAt),
};
type Timestamps = "createdAt" | "startedAt" | "completedAt";
type ShownRow = Omit<Pick<ImportRow, keyof typeof SHOWN>, Timestamps> & {
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
};

/** Built once: the list is the hot read path. */
const NEWEST_FIRST = newestFirst(imports);

/** Items normalized between two yields to the event loop, so big imports do not stall others. */
const NORMALIZE_CHUNK = 500;

/** A timestamp as the hot reads select it (ISO text, SHOWN) or as any other read does. */
const iso = (value: Date | string): string =>
  typeof value === "string" ? value : value.toISOString();

/** An import as the API shows it, from a SHOWN row or a whole one. */
export function toImport(row: ShownRow | ImportRow): Import {
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
    createdAt: iso(row.createdAt),
    startedAt: row.startedAt === null ? null : iso(row.startedAt),
    completedAt: row.completedAt === null ? null : iso(row.completedAt),
  };
}

/** An import request under an Idempotency-Key, and the HTTP status its acceptance answers. */
export interface ImportRequest {
  userId: string;
  idempotencyKey: string;
  input: CreateImportInput;
  meta: RequestMeta;
  acceptedStatus: number;
  /**
   * Runs only for a new request, before anything is stored (a budget check: throwing refuses
   * the request and frees the key).
   */
  admit?: () => Promise<void>;
}

export interface CreateImportResult extends StoredResponse {
  replayed: boolean;
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
 * Stores a queued import and all its items in one transaction together with the response a
 * replay of the key will get. Nothing is enqueued: `acceptImport` does that after the commit.
 */
export async function createImport(
  core: Core,
  request: ImportRequest,
): Promise<CreateImportResult> {
  const { userId, idempotencyKey, input } = request;
  const claim = await claimKey(core, userId, idempotencyKey, requestFingerprint(core, input));
  if (claim.kind === "replay") return { ...claim.response, replayed: true };

  try {
    await request.admit?.();
    const items = await normalizeAll(core, input);
    const response = await core.db.transaction(async (tx) => {
      const now = core.now();
      const [row] = await tx
        .insert(imports)
        .values({
          userId,
          source: input.source,
          totalItems: items.length,
          invalidItems: items.filter((item) => item.status === "invalid").length,
          requestId: request.meta.requestId,
          createdAt: now,
          runAfter: now,
        })
        .returning();
      if (!row) throw new Error("import insert returned nothing");
      // One statement for all items: the rows travel as a single JSON parameter, read as json,
      // not jsonb: jsonb would first build a binary copy of the whole document (10,000 items:
      // 274 against 237 ms for the statement, docs/performance.md, tenth pass).
      await tx.execute(sql`
        insert into import_items
          (import_id, idx, status, reason, email_hash, phone_hash, name_masked, email_masked, phone_masked)
        select ${row.id}, x.idx, x.status, x.reason, x."emailHash", x."phoneHash",
               x."nameMasked", x."emailMasked", x."phoneMasked"
        from json_to_recordset(${JSON.stringify(items)}::json) as x(
          idx int, status text, reason text, "emailHash" text, "phoneHash" text,
          "nameMasked" text, "emailMasked" text, "phoneMasked" text)`);
      const stored = { status: request.acceptedStatus, body: { import: toImport(row) } };
      await storeResponse(tx, userId, idempotencyKey, row.id, stored);
      return stored;
    });
    return { ...response, replayed: false };
  } catch (error) {
    await releaseKey(core, userId, idempotencyKey);
    throw error;
  }
}

/**
 * Create-then-enqueue: a fresh import goes to the queue once its transaction has committed; a
 * replay is answered from the key's record alone. An unreachable queue does not fail the
 * request: the import is stored, and the sweeper dispatches it later.
 */
export async function acceptImport(
  core: Core,
  dispatch: Dispatch,
  request: ImportRequest,
): Promise<CreateImportResult> {
  const result = await createImport(core, request);
  if (result.replayed) return result;
  const payload = { importId: result.body.import.id, requestId: request.meta.requestId };
  if (!(await dispatch.queue.enqueue(payload))) {
    dispatch.reportError("enqueue failed; the sweeper will dispatch the import", null);
  }
  return result;
}

interface ListImportsInput {
  limit: number;
  cursor?: string | undefined;
  status?: ImportStatus | undefined;
}

/** The list's shapes (own or everyone's, by status or not, first page or later), each prepared. */
function pageQuery(db: Database, scoped: boolean, byStatus: boolean, later: boolean) {
  const name = `imports_page_${String(Number(scoped))}${String(Number(byStatus))}${String(Number(later))}`;
  return preparedQuery(db, name, () =>
    db
      .select(SHOWN)
      .from(imports)
      .where(
        and(
          scoped ? eq(imports.userId, sql.placeholder("userId")) : undefined,
          byStatus ? eq(imports.status, sql.placeholder("status")) : undefined,
          later ? keysetAfterPlaceholders(imports) : undefined,
        ),
      )
      .orderBy(...NEWEST_FIRST)
      .limit(sql.placeholder("limit"))
      .prepare(name),
  );
}

async function importPage<T>(
  core: Core,
  userId: string | null,
  input: ListImportsInput,
  view: (row: ShownRow) => T,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const after = input.cursor === undefined ? null : decodeCursor(input.cursor);
  const query = pageQuery(core.db, userId !== null, input.status !== undefined, after !== null);
  const rows = await query.execute({
    userId,
    status: input.status,
    limit: input.limit + 1,
    afterCreatedAt: after?.createdAt.toISOString(),
    afterId: after?.id,
  });
  const page = toPage(rows, input.limit, (row) =>
    encodeCursor({ createdAt: new Date(row.createdAt), id: row.id }),
  );
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

/** A user's own imports, newest first. */
export function listImports(core: Core, userId: string, input: ListImportsInput) {
  return importPage(core, userId, input, toImport);
}

/** Every user's imports, newest first, with their owners. */
export function adminListImports(core: Core, input: ListImportsInput) {
  return importPage(core, null, input, (row) => ({ ...toImport(row), userId: row.userId }));
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

const userImport = (db: Database) =>
  preparedQuery(db, "user_import", () =>
    db
      .select(SHOWN)
      .from(imports)
      .where(
        and(
          eq(imports.id, sql.placeholder("importId")),
          eq(imports.userId, sql.placeholder("userId")),
        ),
      )
      .prepare("user_import"),
  );

export async function getImport(core: Core, userId: string, importId: string): Promise<Import> {
  const [row] = await userImport(core.db).execute({ importId, userId });
  if (!row) throw new AppError("NOT_FOUND", "Import not found");
  return toImport(row);
}

export async function listImportItems(
  core: Core,
  userId: string | null,
  input: { importId: string; limit: number; cursor?: string | undefined },
): Promise<{ items: ImportItem[]; nextCursor: string | null }> {
  await ownImport(core.db, userId, input.importId);
  const after = input.cursor ? decodeIndexCursor(input.cursor) : -1;
  const rows: ImportItem[] = await core.db
    .select({
      index: importItems.idx,
      status: importItems.status,
      reason: importItems.reason,
      nameMasked: importItems.nameMasked,
      emailMasked: importItems.emailMasked,
      phoneMasked: importItems.phoneMasked,
      matched: importItems.matched,
    })
    .from(importItems)
    .where(and(eq(importItems.importId, input.importId), gt(importItems.idx, after)))
    .orderBy(asc(importItems.idx))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (row) => encodeIndexCursor(row.index));
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
