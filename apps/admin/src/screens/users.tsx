import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";

import { ListUsersInputSchema } from "@runway/contracts";

import type { TableSpec } from "../components/table";
import type { RouterOutputs } from "../lib/api-types";
import { FilterText } from "../components/field";
import { UserLink } from "../components/links";
import { PagedTable, RoleBadges } from "../components/table";
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

type User = RouterOutputs["admin"]["users"]["list"]["items"][number];

const userTable: TableSpec<User> = {
  label: "User list",
  rowKey: (user) => user.id,
  columns: [
    { header: "Email", cell: (user) => <UserLink id={user.id}>{user.email}</UserLink> },
    { header: "Name", cell: (user) => user.displayName ?? "–" },
    { header: "Roles", cell: (user) => <RoleBadges roles={user.roles} /> },
    { header: "Created", cell: (user) => formatDateTime(user.createdAt) },
  ],
};

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
        <FilterText
          id="user-query"
          label="Email prefix or name"
          type="search"
          value={text}
          error={error}
          submitLabel="Search"
          onChange={setText}
        />
      </form>
      <PagedTable
        query={users}
        empty={search.query ? `No user matches “${search.query}”.` : "No users yet."}
        table={userTable}
        cursor={search.cursor}
        onPage={(cursor) => void navigate({ to: "/users", search: { ...search, cursor } })}
      />
    </section>
  );
}
