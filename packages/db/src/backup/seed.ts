import type postgres from "postgres";

export interface SeedVolume {
  users: number;
  importsPerUser: number;
  itemsPerImport: number;
}

/**
 * A realistic volume of users, sessions with refresh-token chains, and imports with items,
 * generated in the server in chunks so the progress shows it moving.
 */
export async function seedVolume(
  sql: postgres.Sql,
  volume: SeedVolume,
  log: (message: string) => void,
): Promise<number> {
  const chunk = 1000;
  for (let from = 1; from <= volume.users; from += chunk) {
    const to = Math.min(volume.users, from + chunk - 1);
    await sql.begin(async (tx) => {
      await tx`insert into users (email, display_name, password_hash, email_hash, created_at)
        select 'rehearse' || g || '@example.com', 'User ' || g, '$argon2id$v=19$m=19456,t=2,p=1$x$y',
               md5('e' || g), now() - (g || ' seconds')::interval
        from generate_series(${from}::int, ${to}::int) g`;
      await tx`insert into sessions (user_id, expires_at)
        select id, now() + interval '30 days' from users
        where email in (select 'rehearse' || g || '@example.com' from generate_series(${from}::int, ${to}::int) g)`;
      await tx`insert into refresh_tokens (session_id, token_hash, used_at)
        select s.id, md5(s.id::text || r), case when r = 1 then now() end
        from sessions s join users u on u.id = s.user_id, generate_series(1, 2) r
        where u.email in (select 'rehearse' || g || '@example.com' from generate_series(${from}::int, ${to}::int) g)`;
      await tx`insert into imports (user_id, status, source, total_items, valid_items, created_at)
        select u.id, (array['queued','processing','completed','completed','failed'])[1 + (n % 5)],
               'rehearsal-seed', ${volume.itemsPerImport}::int, ${volume.itemsPerImport}::int,
               now() - ((n * 3) || ' seconds')::interval
        from users u, generate_series(1, ${volume.importsPerUser}::int) n
        where u.email in (select 'rehearse' || g || '@example.com' from generate_series(${from}::int, ${to}::int) g)`;
      await tx`insert into import_items (import_id, idx, status, email_hash, email_masked, matched)
        select i.id, k, 'valid', md5(i.id::text || k), 'j***@example.com', k % 7 = 0
        from imports i join users u on u.id = i.user_id, generate_series(0, ${volume.itemsPerImport - 1}::int) k
        where u.email in (select 'rehearse' || g || '@example.com' from generate_series(${from}::int, ${to}::int) g)`;
    });
    log(`seeded users ${String(from)}-${String(to)} of ${String(volume.users)}`);
  }
  await sql`analyze`;
  const [row] = await sql<{ n: string }[]>`
    select (select count(*) from users) + (select count(*) from sessions)
         + (select count(*) from refresh_tokens) + (select count(*) from imports)
         + (select count(*) from import_items) as n`;
  // count() is a bigint, which postgres.js returns as a string.
  return Number(row?.n ?? 0);
}

export interface Writer {
  /** Stops writing; resolves with every committed write and when the last one committed. */
  stop(): Promise<{ committed: number; lastCommitAt: number }>;
}

/**
 * Keeps committing small imports (source 'rehearsal-writer', request_id w-<n>) one by one, as
 * live traffic would during a backup.
 */
export function startWriter(sql: postgres.Sql, userId: string): Writer {
  const state = { running: true };
  let committed = 0;
  let lastCommitAt = Date.now();
  const loop = (async () => {
    while (state.running) {
      const n = committed + 1;
      await sql`insert into imports (user_id, source, total_items, request_id)
        values (${userId}, 'rehearsal-writer', 1, ${`w-${String(n)}`})`;
      committed = n;
      lastCommitAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    async stop() {
      state.running = false;
      await loop;
      return { committed, lastCommitAt };
    },
  };
}
