/**
 * The production role layout db:verify expects, as SQL: an owner role that runs migrations and
 * owns the tables, and an application role with row privileges only and session timeouts.
 * Used by the tests, the rehearsal and CI; the runbook shows the same statements.
 */
export function appRoleSql(options: {
  database: string;
  owner: string;
  app: string;
  password?: string;
}): string[] {
  const { database, owner, app } = options;
  const login = options.password
    ? `login password '${options.password.replace(/'/g, "''")}'`
    : "login";
  return [
    `create role "${owner}" ${login}`,
    `create role "${app}" ${login}`,
    `grant connect, create on database "${database}" to "${owner}"`,
    `grant connect on database "${database}" to "${app}"`,
    `alter role "${app}" in database "${database}" set statement_timeout = '30s'`,
    `alter role "${app}" in database "${database}" set lock_timeout = '5s'`,
    `alter role "${app}" in database "${database}" set idle_in_transaction_session_timeout = '60s'`,
  ];
}

/** Run in the application database as a superuser, once, before the first migration. */
export function appSchemaSql(options: { owner: string; app: string }): string[] {
  const { owner, app } = options;
  return [
    `revoke create on schema public from public`,
    `grant usage, create on schema public to "${owner}"`,
    `grant usage on schema public to "${app}"`,
    `alter default privileges for role "${owner}" in schema public grant select, insert, update, delete on tables to "${app}"`,
    `alter default privileges for role "${owner}" in schema public grant usage, select on sequences to "${app}"`,
    // drizzle's bookkeeping schema, created by the first migration (or a restore): readable,
    // so /readyz and db:verify can tell which migrations are applied.
    `alter default privileges for role "${owner}" grant usage on schemas to "${app}"`,
    `alter default privileges for role "${owner}" grant select on tables to "${app}"`,
  ];
}
