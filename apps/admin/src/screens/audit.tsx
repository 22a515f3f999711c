import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";

import { AuditEventTypeSchema, UuidSchema } from "@runway/contracts";

import { Pager } from "../components/pager";
import { QueryState } from "../components/status";
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

function UserLink({ id }: { id: string | null }) {
  if (!id) return <>–</>;
  return (
    <Link to="/users/$userId" params={{ userId: id }}>
      <code>{id.slice(0, 8)}</code>
    </Link>
  );
}

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
        <label htmlFor="audit-user">User id</label>
        <input
          id="audit-user"
          value={userText}
          aria-invalid={userError ? true : undefined}
          onChange={(event) => {
            setUserText(event.target.value);
          }}
        />
        <button type="submit" className="button">
          Filter
        </button>
        {userError ? <p className="field-error">{userError}</p> : null}
      </form>
      <QueryState
        query={events}
        isEmpty={(page) => page.items.length === 0}
        empty="No audit event matches."
      >
        {(page) => (
          <>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit event list">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Event</th>
                    <th scope="col">User</th>
                    <th scope="col">By</th>
                    <th scope="col">Details</th>
                    <th scope="col">Request id</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((event) => (
                    <tr key={event.id}>
                      <td>{formatDateTime(event.createdAt)}</td>
                      <td>
                        <code>{event.type}</code>
                      </td>
                      <td>
                        <UserLink id={event.userId} />
                        {event.emailMasked ? (
                          <span className="muted"> {event.emailMasked}</span>
                        ) : null}
                      </td>
                      <td>
                        <UserLink id={event.actorId} />
                      </td>
                      <td className="wrap">{formatDetails(event.details)}</td>
                      <td>{event.requestId ? <code>{event.requestId}</code> : "–"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              cursor={search.cursor}
              nextCursor={page.nextCursor}
              onPage={(cursor) => void navigate({ to: "/audit", search: { ...search, cursor } })}
            />
          </>
        )}
      </QueryState>
    </section>
  );
}
