import type { Request, Response } from "express";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { verify } from "@node-rs/argon2";
import express from "express";
import postgres from "postgres";

import type { ImportItemInput } from "@runway/contracts";
import { expressServer } from "@runway/api-server/express-server";
import { ARGON2_PARAMS, normalizeItem, piiKey } from "@runway/core";

/**
 * The bare stack `pnpm bench:http` and `pnpm bench:imports` compare Runway with: express 5 and
 * postgres.js on the same database, doing what the measured endpoints must do at a minimum (the
 * same HS256 bearer check, the same keyset query and JSON shape, argon2id with the same
 * parameters, an import's items reduced by the same rule and stored) and nothing else: no
 * logging, metrics, rate limits, validation, error envelope, Idempotency-Key, queue or worker.
 *
 * It listens as a new user's app would (`app.listen`), unless BASELINE_SERVER=runway: then on
 * the server Runway uses, which spares express its per-request re-prototyping (see
 * apps/api/src/http/express-server.ts), to show what is left of the gap without that.
 */
const env = process.env;
const secret = Buffer.from(env.JWT_SECRET ?? "", "utf8");
const pii = piiKey(env.PII_HASH_KEY ?? "");
const sql = postgres(env.DATABASE_URL ?? "", { max: 10, onnotice: () => undefined });
const app = express();
app.disable("x-powered-by");
app.disable("etag");
// Big enough for bench:imports' 10,000-item bodies.
app.use(express.json({ limit: "16mb" }));

interface Claims {
  sub: string;
  exp: number;
  iss: string;
  aud: string;
}

function userOf(req: Request): string | null {
  const token = /^Bearer (.+)$/i.exec(req.get("authorization") ?? "")?.[1];
  const [header, payload, signature] = token?.split(".") ?? [];
  if (!header || !payload || !signature) return null;
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Claims;
  if (claims.exp * 1000 < Date.now() || claims.iss !== "runway" || claims.aud !== "runway-api")
    return null;
  return claims.sub;
}

/** The row as the query names its columns: the contract's names, timestamps still Dates. */
interface ImportRow {
  id: string;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  [column: string]: unknown;
}

const toImport = (row: ImportRow) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  startedAt: row.startedAt?.toISOString() ?? null,
  completedAt: row.completedAt?.toISOString() ?? null,
});

app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});

app.get("/v1/imports", async (req: Request, res: Response) => {
  const userId = userOf(req);
  if (!userId) {
    res.status(401).json({ code: "UNAUTHENTICATED" });
    return;
  }
  const limit = Math.min(100, Number(req.query.limit ?? 20));
  const rows = await sql<ImportRow[]>`
    select id, status, source, total_items as "totalItems", valid_items as "validItems",
           invalid_items as "invalidItems", duplicate_items as "duplicateItems",
           matched_items as "matchedItems", attempts, error, created_at as "createdAt",
           started_at as "startedAt", completed_at as "completedAt"
    from imports where user_id = ${userId}
    order by created_at desc, id desc limit ${limit + 1}`;
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  res.json({
    items: items.map(toImport),
    nextCursor: rows.length > limit && last ? `${last.createdAt.getTime()}_${last.id}` : null,
  });
});

app.post("/v1/auth/login", async (req: Request, res: Response) => {
  const { email, password } = req.body as { email: string; password: string };
  const [user] = await sql<{ id: string; password_hash: string }[]>`
    select id, password_hash from users where email = ${email.toLowerCase()}`;
  const ok = user !== undefined && (await verify(user.password_hash, password, ARGON2_PARAMS));
  if (!ok) {
    res.status(401).json({ code: "INVALID_CREDENTIALS" });
    return;
  }
  res.json({ user: { id: user.id, email }, tokens: { tokenType: "Bearer" } });
});

/**
 * An import done at a minimum, within the request: every item reduced to keyed hashes and masks
 * by Runway's own rule (normalizeItem), deduplicated by hash and matched against the users'
 * email hashes as the worker does (packages/core/src/import-processing.ts), then the import,
 * completed, and its items stored in one transaction.
 */
app.post("/v1/imports", async (req: Request, res: Response) => {
  const userId = userOf(req);
  if (!userId) {
    res.status(401).json({ code: "UNAUTHENTICATED" });
    return;
  }
  const body = req.body as { source: string; defaultRegion?: string; items: ImportItemInput[] };
  const seen = new Set<string | null>();
  const items = body.items.map((item, idx) => {
    const normalized = normalizeItem(pii, item, idx, body.defaultRegion);
    const key = normalized.emailHash ?? normalized.phoneHash;
    const duplicate = normalized.status === "valid" && seen.has(key);
    if (normalized.status === "valid") seen.add(key);
    return { ...normalized, status: duplicate ? "duplicate" : normalized.status, matched: false };
  });
  const emailHashes = items.flatMap((item) =>
    item.status === "valid" && item.emailHash ? [item.emailHash] : [],
  );
  const known = new Set(
    (
      await sql<{ email_hash: string }[]>`
        select email_hash from users
        where email_hash in (select json_array_elements_text(${sql.json(emailHashes)}::json))`
    ).map((row) => row.email_hash),
  );
  for (const item of items) {
    item.matched = item.status === "valid" && item.emailHash !== null && known.has(item.emailHash);
  }
  const count = (status: string) => items.filter((item) => item.status === status).length;
  const id = await sql.begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into imports (user_id, source, status, total_items, valid_items, invalid_items,
                           duplicate_items, matched_items, attempts, started_at, completed_at)
      values (${userId}, ${body.source}, 'completed', ${items.length}, ${count("valid")},
              ${count("invalid")}, ${count("duplicate")},
              ${items.filter((item) => item.matched).length}, 1, now(), now())
      returning id`;
    if (!row) throw new Error("import insert returned nothing");
    await tx`
      insert into import_items (import_id, idx, status, reason, email_hash, phone_hash,
                                name_masked, email_masked, phone_masked, matched)
      select ${row.id}, x.idx, x.status, x.reason, x."emailHash", x."phoneHash",
             x."nameMasked", x."emailMasked", x."phoneMasked", x.matched
      from json_to_recordset(${sql.json(items)}::json) as x(
        idx int, status text, reason text, "emailHash" text, "phoneHash" text,
        "nameMasked" text, "emailMasked" text, "phoneMasked" text, matched boolean)`;
    return row.id;
  });
  res.status(202).json({ import: { id, status: "completed" } });
});

// `app.listen` is `createServer(app).listen`.
const server = env.BASELINE_SERVER === "runway" ? expressServer(app) : createServer(app);
server.listen(Number(env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") console.log(`baseline listening ${address.port}`);
});
process.on("SIGTERM", () => {
  server.close();
  void sql.end();
});
