import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";

import { ImportStatusSchema } from "@runway/contracts";

import { Pager } from "../components/pager";
import { QueryState } from "../components/status";
import { formatCount, formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { importsRoute } from "../routes";

const route = importsRoute;

export function ImportsScreen() {
  const trpc = useTRPC();
  const search = route.useSearch();
  const navigate = useNavigate();
  const imports = useQuery(
    trpc.admin.imports.list.queryOptions({
      status: search.status,
      cursor: search.cursor,
      limit: 20,
    }),
  );

  return (
    <section aria-labelledby="imports-title">
      <h1 id="imports-title">Imports</h1>
      <div className="filters">
        <label htmlFor="status">Status</label>
        <select
          id="status"
          value={search.status ?? ""}
          onChange={(event) => {
            const parsed = ImportStatusSchema.safeParse(event.target.value);
            void navigate({
              to: "/imports",
              search: { status: parsed.success ? parsed.data : undefined },
            });
          }}
        >
          <option value="">Any</option>
          {ImportStatusSchema.options.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </div>
      <QueryState
        query={imports}
        isEmpty={(page) => page.items.length === 0}
        empty={search.status ? `No ${search.status} import.` : "No imports yet."}
      >
        {(page) => (
          <>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Import list">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Import</th>
                    <th scope="col">Status</th>
                    <th scope="col">Source</th>
                    <th scope="col" className="num">
                      Items
                    </th>
                    <th scope="col" className="num">
                      Attempts
                    </th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((job) => (
                    <tr key={job.id}>
                      <td>
                        <Link to="/imports/$importId" params={{ importId: job.id }}>
                          <code>{job.id.slice(0, 8)}</code>
                        </Link>
                      </td>
                      <td>
                        <span className={`badge status-${job.status}`}>{job.status}</span>
                      </td>
                      <td>{job.source}</td>
                      <td className="num">{formatCount(job.totalItems)}</td>
                      <td className="num">{job.attempts}</td>
                      <td>{formatDateTime(job.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              cursor={search.cursor}
              nextCursor={page.nextCursor}
              onPage={(cursor) => void navigate({ to: "/imports", search: { ...search, cursor } })}
            />
          </>
        )}
      </QueryState>
    </section>
  );
}
