import { randomBytes } from "node:crypto";
import postgres from "postgres";

import { loadConfig } from "@runway/config";

import { createDatabase } from "./client";

/**
 * `pnpm db:explain`: seeds a realistic volume into a scratch database on DATABASE_URL (which
 * must be allowed to create databases), then fails unless the hot queries use their indexes.
 */
const { database } = loadConfig();
if (database.kind !== "postgres") {
  console.error("DATABASE_URL is required (a PostgreSQL URL allowed to create databases)");
  process.exit(1);
}
const adminUrl = database.url;

const name = `runway_explain_${randomBytes(4).toString("hex")}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
await admin.unsafe(`create database "${name}"`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const handle = await createDatabase({ kind: "postgres", url: url.toString(), poolSize: 2 });
const sql = postgres(url.toString(), { max: 1, onnotice: () => undefined });

interface Check {
  name: string;
  query: string;
  /** Index names, one of which the plan must use. */
  indexes: string[];
}

function planNodes(plan: Record<string, unknown>): Record<string, unknown>[] {
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return [plan, ...children.flatMap(planNodes)];
}

let failed = 0;
let passed = 0;
try {
  await handle.migrate();
  const started = Date.now();
  // 2,000 users, 50,000 imports (25 each, all states), 500,000 items; more for one user below.
  await sql`insert into users (email, password_hash, email_hash, created_at)
    select 'user' || g || '@example.com', 'x', md5(g::text), now() - (g || ' minutes')::interval
    from generate_series(1, 2000) g`;
  await sql`insert into imports (user_id, status, source, total_items, created_at)
    select u.id, (array['queued','processing','completed','completed','completed','failed'])[1 + (g % 6)],
           'seed', 10, now() - ((g * 7) || ' seconds')::interval
    from (select id, row_number() over () as n from users) u, generate_series(1, 25) g`;
  await sql`insert into import_items (import_id, idx, status, email_hash)
    select i.id, g, 'valid', md5(i.id::text || g)
    from imports i, generate_series(0, 9) g`;
  const [sample] = await sql<
    { id: string; user_id: string }[]
  >`select id, user_id from imports order by random() limit 1`;
  if (!sample) throw new Error("seed produced nothing");
  // One heavy user with 5,000 imports, where a scan or a sort would hurt.
  await sql`insert into imports (user_id, status, source, total_items, created_at)
    select ${sample.user_id}, (array['queued','processing','completed','completed','failed'])[1 + (g % 5)],
           'seed', 10, now() - ((g * 3) || ' seconds')::interval
    from generate_series(1, 5000) g`;
  // One full-size import: 10,000 items, as the largest request makes.
  await sql`insert into import_items (import_id, idx, status, email_hash)
    select ${sample.id}, g, 'valid', md5(g::text) from generate_series(10, 9999) g`;
  await sql`analyze`;
  console.log(`seeded 2,000 users, 55,000 imports, 510,000 items in ${Date.now() - started} ms`);
  const checks: Check[] = [
    {
      name: "a user's imports, newest first",
      query: `select * from imports where user_id = '${sample.user_id}' order by created_at desc, id desc limit 21`,
      indexes: ["imports_user_created_idx"],
    },
    {
      name: "a user's imports, next page by cursor",
      query: `select * from imports where user_id = '${sample.user_id}' and (created_at, id) < (now(), 'ffffffff-ffff-4fff-8fff-ffffffffffff') order by created_at desc, id desc limit 21`,
      indexes: ["imports_user_created_idx"],
    },
    {
      name: "a user's imports by status",
      query: `select * from imports where user_id = '${sample.user_id}' and status = 'completed' order by created_at desc, id desc limit 21`,
      indexes: ["imports_user_status_created_idx"],
    },
    {
      name: "all imports, newest first (admin)",
      query: "select * from imports order by created_at desc, id desc limit 21",
      indexes: ["imports_created_idx"],
    },
    {
      name: "an import's items in order",
      query: `select * from import_items where import_id = '${sample.id}' and idx > -1 order by idx limit 21`,
      indexes: ["import_items_import_id_idx_pk"],
    },
    {
      name: "pending imports for the sweeper",
      query:
        "select id from imports where (status = 'queued' or status = 'processing') and created_at <= now() order by status, created_at limit 500",
      indexes: ["imports_status_created_idx"],
    },
  ];

  for (const check of checks) {
    const [row] = await sql.unsafe(`explain (format json) ${check.query}`);
    const plan = (row?.["QUERY PLAN"] as { Plan: Record<string, unknown> }[])[0]?.Plan ?? {};
    const nodes = planNodes(plan);
    const used = nodes
      .map((node) => node["Index Name"])
      .filter((index): index is string => typeof index === "string");
    const seqScans = nodes
      .filter((node) => node["Node Type"] === "Seq Scan")
      .map((node) => node["Relation Name"]);
    // The index must also deliver the order: a Sort node means every matching row is read.
    const sorted = nodes.some((node) => node["Node Type"] === "Sort");
    const ok =
      check.indexes.some((index) => used.includes(index)) && seqScans.length === 0 && !sorted;
    if (ok) passed++;
    else failed++;
    const problems = [
      ...(seqScans.length ? [`seq scan on ${seqScans.join(", ")}`] : []),
      ...(sorted ? ["sorts in memory"] : []),
    ];
    console.log(
      `${ok ? "ok  " : "FAIL"} ${check.name}: ${used.join(", ") || "no index"}${problems.length ? `; ${problems.join("; ")}` : ""}`,
    );
  }
} finally {
  await sql.end();
  await handle.close();
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
}
console.log(`explain: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
