import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";

import type { TableSpec } from "../components/table";
import type { RouterOutputs } from "../lib/api-types";
import { BackLink, UserLink, WithNote } from "../components/links";
import { QueryState } from "../components/status";
import { PagedTable } from "../components/table";
import { durationBetween, formatCount, formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { importDetailRoute } from "../routes";

type Item = RouterOutputs["admin"]["imports"]["items"]["items"][number];

const itemTable: TableSpec<Item> = {
  label: "Item list",
  rowKey: (item) => item.index,
  columns: [
    { header: "#", className: "num", cell: (item) => item.index },
    {
      header: "Status",
      cell: (item) => (
        <WithNote note={item.reason ? `(${item.reason})` : null}>{item.status}</WithNote>
      ),
    },
    { header: "Name", cell: (item) => item.nameMasked ?? "–" },
    { header: "Email", cell: (item) => item.emailMasked ?? "–" },
    { header: "Phone", cell: (item) => item.phoneMasked ?? "–" },
    { header: "Matched", cell: (item) => (item.matched ? "yes" : "no") },
  ],
};

/** An import's figures and its items as stored: masked previews only, never the raw values. */
export function ImportDetailScreen() {
  const trpc = useTRPC();
  const { importId } = importDetailRoute.useParams();
  const search = importDetailRoute.useSearch();
  const navigate = useNavigate();
  const detail = useQuery(trpc.admin.imports.get.queryOptions({ importId }));
  const items = useQuery(
    trpc.admin.imports.items.queryOptions({ importId, cursor: search.items, limit: 20 }),
  );

  return (
    <section aria-labelledby="import-title">
      <BackLink to="/imports">Imports</BackLink>
      <QueryState query={detail}>
        {({ import: job }) => (
          <>
            <h1 id="import-title">
              Import <code>{job.id.slice(0, 8)}</code>{" "}
              <span className={`badge status-${job.status}`}>{job.status}</span>
            </h1>
            <dl className="facts">
              <dt>Owner</dt>
              <dd>
                <UserLink id={job.userId}>
                  <code>{job.userId}</code>
                </UserLink>
              </dd>
              <dt>Source</dt>
              <dd>{job.source}</dd>
              <dt>Items</dt>
              <dd>
                {formatCount(job.totalItems)} total · {formatCount(job.validItems)} valid ·{" "}
                {formatCount(job.invalidItems)} invalid · {formatCount(job.duplicateItems)}{" "}
                duplicate · {formatCount(job.matchedItems)} matched
              </dd>
              <dt>Attempts</dt>
              <dd>{job.attempts}</dd>
              <dt>Created</dt>
              <dd>{formatDateTime(job.createdAt)}</dd>
              <dt>Started</dt>
              <dd>{formatDateTime(job.startedAt)}</dd>
              <dt>Completed</dt>
              <dd>
                {formatDateTime(job.completedAt)} (took{" "}
                {durationBetween(job.startedAt, job.completedAt)})
              </dd>
              <dt>Error</dt>
              <dd>{job.error ?? "–"}</dd>
              <dt>Request id</dt>
              <dd>{job.requestId ? <code>{job.requestId}</code> : "–"}</dd>
            </dl>
          </>
        )}
      </QueryState>
      <h2>Items</h2>
      <p className="muted">
        Masked previews only: raw contact data never leaves the import request.
      </p>
      <PagedTable
        query={items}
        empty="No items."
        table={itemTable}
        cursor={search.items}
        onPage={(cursor) =>
          void navigate({
            to: "/imports/$importId",
            params: { importId },
            search: { items: cursor },
          })
        }
      />
    </section>
  );
}
