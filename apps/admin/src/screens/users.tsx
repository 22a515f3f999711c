import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";

import { ListUsersInputSchema } from "@runway/contracts";

import type { TextFilterSpec } from "../components/field";
import type { TableSpec } from "../components/table";
import type { RouterOutputs } from "../lib/api-types";
import { FilterText, useTextFilter } from "../components/field";
import { UserLink } from "../components/links";
import { PagedTable, RoleBadges } from "../components/table";
import { formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { usersRoute } from "../routes";

/** The search box accepts what the API accepts (trimmed, 1-254 characters). */
export const parseUserQuery: TextFilterSpec["parse"] = (text) => {
  if (text.trim() === "") return { value: undefined, error: null };
  const parsed = ListUsersInputSchema.shape.query.safeParse(text);
  return parsed.success
    ? { value: parsed.data, error: null }
    : { value: undefined, error: parsed.error.issues[0]?.message ?? "Invalid search" };
};

const queryFilter: TextFilterSpec = {
  id: "user-query",
  label: "Email prefix or name",
  type: "search",
  submitLabel: "Search",
  parse: parseUserQuery,
};

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
  const search = usersRoute.useSearch();
  const navigate = useNavigate();
  const filter = useTextFilter(queryFilter, search.query, (query) => {
    void navigate({ to: "/users", search: { query } });
  });
  const users = useQuery(trpc.admin.users.list.queryOptions({ ...search, limit: 20 }));

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <form className="filters" role="search" onSubmit={filter.onSubmit}>
        <FilterText {...filter.field} />
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
