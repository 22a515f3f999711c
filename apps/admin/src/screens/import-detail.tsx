import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";

import { Pager } from "../components/pager";
import { QueryState } from "../components/status";
import { durationBetween, formatCount, formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { importDetailRoute } from "../routes";

const route = importDetailRoute;

/** An import's figures and its items as stored: masked previews only, never the raw values. */
export function ImportDetailScreen() {
  const trpc = useTRPC();
  const { importId } = route.useParams();
  const search = route.useSearch();
  const navigate = useNavigate();
  const detail = useQuery(trpc.admin.imports.get.queryOptions({ importId }));
  const items = useQuery(
    trpc.admin.imports.items.queryOptions({ importId, cursor: search.items, limit: 20 }),
  );

  return (
    <section aria-labelledby="import-title">
      <p>
        <Link to="/imports">← Imports</Link>
      </p>
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
                <Link to="/users/$userId" params={{ userId: job.userId }}>
                  <code>{job.userId}</code>
                </Link>
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
      <QueryState query={items} isEmpty={(page) => page.items.length === 0} empty="No items.">
        {(page) => (
          <>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Item list">
              <table>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      #
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Phone</th>
                    <th scope="col">Matched</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((item) => (
                    <tr key={item.index}>
                      <td className="num">{item.index}</td>
                      <td>
                        {item.status}
                        {item.reason ? <span className="muted"> ({item.reason})</span> : null}
                      </td>
                      <td>{item.nameMasked ?? "–"}</td>
                      <td>{item.emailMasked ?? "–"}</td>
                      <td>{item.phoneMasked ?? "–"}</td>
                      <td>{item.matched ? "yes" : "no"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              cursor={search.items}
              nextCursor={page.nextCursor}
              onPage={(cursor) =>
                void navigate({
                  to: "/imports/$importId",
                  params: { importId },
                  search: { items: cursor },
                })
              }
            />
          </>
        )}
      </QueryState>
    </section>
  );
}
