import { parseArgs } from "node:util";
import postgres from "postgres";

import { loadConfig } from "@runway/config";

import { failureLine } from "./cli-failure";
import { appRoleSql, appSchemaSql } from "./verify";

/**
 * `pnpm db:roles --database NAME [--owner runway_owner] [--app runway_app]`: with a superuser
 * DATABASE_URL, creates the database (when missing) and the role layout db:verify expects: an
 * owner that runs migrations, an application role with row privileges and session timeouts.
 * The roles get no password here; set one with `\password` in psql (it never passes a flag).
 */
try {
  const { values } = parseArgs({
    options: {
      database: { type: "string" },
      owner: { type: "string", default: "runway_owner" },
      app: { type: "string", default: "runway_app" },
    },
  });
  const config = loadConfig();
  const database = values.database;
  if (config.database.kind !== "postgres" || !database || !/^[a-z_][a-z0-9_]*$/.test(database)) {
    console.error("usage: DATABASE_URL=<superuser url> pnpm db:roles --database <name>");
    process.exit(2);
  }
  const server = postgres(config.database.url, { max: 1, onnotice: () => undefined });
  try {
    const [exists] = await server`select 1 from pg_database where datname = ${database}`;
    if (!exists) await server.unsafe(`create database "${database}"`);
    const roles = await server<{ rolname: string }[]>`
      select rolname from pg_roles where rolname in (${values.owner}, ${values.app})`;
    for (const statement of appRoleSql({ database, owner: values.owner, app: values.app })) {
      const created = /^create role "(.+?)"/.exec(statement)?.[1];
      if (created && roles.some((role) => role.rolname === created)) continue;
      await server.unsafe(statement);
    }
  } finally {
    await server.end();
  }
  const url = new URL(config.database.url);
  url.pathname = `/${database}`;
  const target = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  try {
    for (const statement of appSchemaSql({ owner: values.owner, app: values.app }))
      await target.unsafe(statement);
  } finally {
    await target.end();
  }
  console.log(
    `database ${database}: owner ${values.owner} (migrations), app ${values.app} (rows only)`,
  );
} catch (error) {
  console.error(failureLine("db:roles", error));
  process.exitCode = 1;
}
