import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";

import { AuditEventTypeSchema, UuidSchema } from "@runway/contracts";

import type { TextFilterSpec } from "../components/field";
import type { TableSpec } from "../components/table";
import type { RouterOutputs } from "../lib/api-types";
import { EnumSelect, FilterText, useTextFilter } from "../components/field";
import { UserLink, WithNote } from "../components/links";
import { PagedTable } from "../components/table";
import { formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { auditRoute } from "../routes";

const FIRST_KEYS = ["before", "after"];

/** "before: user · after: admin,user": before/after first, the rest by name. */
export function formatDetails(details: Record<string, string>): string {
  const rank = (key: string) => {
    const index = FIRST_KEYS.indexOf(key);
    return index === -1 ? FIRST_KEYS.length : index;
  };
  const keys = Object.keys(details).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return keys.map((key) => `${key}: ${details[key] ?? ""}`).join(" · ") || "–";
}

const userIdFilter: TextFilterSpec = {
  id: "audit-user",
  label: "User id",
  submitLabel: "Filter",
  parse: (text) => {
    const trimmed = text.trim();
    if (!trimmed) return { value: undefined, error: null };
    const parsed = UuidSchema.safeParse(trimmed);
    return parsed.success
      ? { value: parsed.data, error: null }
      : { value: undefined, error: "Enter a user id (a UUID)" };
  },
};

type AuditEvent = RouterOutputs["admin"]["auditEvents"]["list"]["items"][number];

const eventTable: TableSpec<AuditEvent> = {
  label: "Audit event list",
  rowKey: (event) => event.id,
  columns: [
    { header: "When", cell: (event) => formatDateTime(event.createdAt) },
    { header: "Event", cell: (event) => <code>{event.type}</code> },
    {
      header: "User",
      cell: (event) => (
        <WithNote note={event.emailMasked}>
          <UserLink id={event.userId} />
        </WithNote>
      ),
    },
    { header: "By", cell: (event) => <UserLink id={event.actorId} /> },
    {
      header: "Details",
      cellClassName: "wrap",
      cell: (event) => formatDetails(event.details),
    },
    {
      header: "Request id",
      cell: (event) => (event.requestId ? <code>{event.requestId}</code> : "–"),
    },
  ],
};

export function AuditScreen() {
  const trpc = useTRPC();
  const search = auditRoute.useSearch();
  const navigate = useNavigate();
  /** A filter changed: keep the other one, back to the first page. */
  const filterBy = (next: Pick<typeof search, "type"> | Pick<typeof search, "userId">) => {
    void navigate({ to: "/audit", search: { type: search.type, userId: search.userId, ...next } });
  };
  const userFilter = useTextFilter(userIdFilter, search.userId, (userId) => {
    filterBy({ userId });
  });
  const events = useQuery(trpc.admin.auditEvents.list.queryOptions({ ...search, limit: 25 }));

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form className="filters" onSubmit={userFilter.onSubmit}>
        <EnumSelect
          id="event-type"
          label="Event"
          options={AuditEventTypeSchema.options}
          value={search.type}
          onChange={(type) => {
            filterBy({ type });
          }}
        />
        <FilterText {...userFilter.field} />
      </form>
      <PagedTable
        query={events}
        empty="No audit event matches."
        table={eventTable}
        cursor={search.cursor}
        onPage={(cursor) => void navigate({ to: "/audit", search: { ...search, cursor } })}
      />
    </section>
  );
}
