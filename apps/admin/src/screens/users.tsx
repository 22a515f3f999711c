import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";

import { ListUsersInputSchema } from "@runway/contracts";

import { Pager } from "../components/pager";
import { QueryState } from "../components/status";
import { formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { usersRoute } from "../routes";

const route = usersRoute;

/** The search box accepts what the API accepts (trimmed, 1-254 characters). */
export function parseUserQuery(value: string): { query: string | undefined; error: string | null } {
  if (value.trim() === "") return { query: undefined, error: null };
  const parsed = ListUsersInputSchema.shape.query.safeParse(value);
  return parsed.success
    ? { query: parsed.data, error: null }
    : { query: undefined, error: parsed.error.issues[0]?.message ?? "Invalid search" };
}

export function UsersScreen() {
  const trpc = useTRPC();
  const search = route.useSearch();
  const navigate = useNavigate();
  const [text, setText] = useState(search.query ?? "");
  const [error, setError] = useState<string | null>(null);
  const users = useQuery(
    trpc.admin.users.list.queryOptions({ query: search.query, cursor: search.cursor, limit: 20 }),
  );

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <form
        className="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          const parsed = parseUserQuery(text);
          setError(parsed.error);
          if (!parsed.error) void navigate({ to: "/users", search: { query: parsed.query } });
        }}
      >
        <label htmlFor="user-query">Email prefix or name</label>
        <input
          id="user-query"
          type="search"
          value={text}
          aria-invalid={error ? true : undefined}
          onChange={(event) => {
            setText(event.target.value);
          }}
        />
        <button type="submit" className="button">
          Search
        </button>
        {error ? <p className="field-error">{error}</p> : null}
      </form>
      <QueryState
        query={users}
        isEmpty={(page) => page.items.length === 0}
        empty={search.query ? `No user matches “${search.query}”.` : "No users yet."}
      >
        {(page) => (
          <>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="User list">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Name</th>
                    <th scope="col">Roles</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((user) => (
                    <tr key={user.id}>
                      <td>
                        <Link to="/users/$userId" params={{ userId: user.id }}>
                          {user.email}
                        </Link>
                      </td>
                      <td>{user.displayName ?? "–"}</td>
                      <td>
                        {user.roles.map((role) => (
                          <span key={role} className={`badge role-${role}`}>
                            {role}
                          </span>
                        ))}
                      </td>
                      <td>{formatDateTime(user.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              cursor={search.cursor}
              nextCursor={page.nextCursor}
              onPage={(cursor) => void navigate({ to: "/users", search: { ...search, cursor } })}
            />
          </>
        )}
      </QueryState>
    </section>
  );
}
