import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";

import { AuditEventTypeSchema, UuidSchema } from "@runway/contracts";

import type { TableSpec } from "../components/table";
import type { RouterOutputs } from "../lib/api-types";
import { FilterText } from "../components/field";
import { UserLink, WithNote } from "../components/links";
import { PagedTable } from "../components/table";
import { formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { auditRoute } from "../routes";

const route = auditRoute;

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
  const search = route.useSearch();
  const navigate = useNavigate();
  const [userText, setUserText] = useState(search.userId ?? "");
  const [userError, setUserError] = useState<string | null>(null);
  const events = useQuery(
    trpc.admin.auditEvents.list.queryOptions({
      type: search.type,
      userId: search.userId,
      cursor: search.cursor,
      limit: 25,
    }),
  );

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          const text = userText.trim();
          const parsed = text ? UuidSchema.safeParse(text) : null;
          if (parsed && !parsed.success) {
            setUserError("Enter a user id (a UUID)");
            return;
          }
          setUserError(null);
          void navigate({ to: "/audit", search: { type: search.type, userId: parsed?.data } });
        }}
      >
        <label htmlFor="event-type">Event</label>
        <select
          id="event-type"
          value={search.type ?? ""}
          onChange={(event) => {
            const parsed = AuditEventTypeSchema.safeParse(event.target.value);
            void navigate({
              to: "/audit",
              search: { userId: search.userId, type: parsed.success ? parsed.data : undefined },
            });
          }}
        >
          <option value="">Any</option>
          {AuditEventTypeSchema.options.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
        <FilterText
          id="audit-user"
          label="User id"
          value={userText}
          error={userError}
          submitLabel="Filter"
          onChange={setUserText}
        />
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
