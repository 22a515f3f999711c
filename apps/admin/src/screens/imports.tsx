import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";

import { ImportStatusSchema } from "@runway/contracts";

import type { TableSpec } from "../components/table";
import type { RouterOutputs } from "../lib/api-types";
import { ImportLink } from "../components/links";
import { PagedTable } from "../components/table";
import { formatCount, formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { importsRoute } from "../routes";

const route = importsRoute;

type AdminImport = RouterOutputs["admin"]["imports"]["list"]["items"][number];

const importTable: TableSpec<AdminImport> = {
  label: "Import list",
  rowKey: (job) => job.id,
  columns: [
    { header: "Import", cell: (job) => <ImportLink id={job.id} /> },
    {
      header: "Status",
      cell: (job) => <span className={`badge status-${job.status}`}>{job.status}</span>,
    },
    { header: "Source", cell: (job) => job.source },
    { header: "Items", className: "num", cell: (job) => formatCount(job.totalItems) },
    { header: "Attempts", className: "num", cell: (job) => job.attempts },
    { header: "Created", cell: (job) => formatDateTime(job.createdAt) },
  ],
};

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
      <PagedTable
        query={imports}
        empty={search.status ? `No ${search.status} import.` : "No imports yet."}
        table={importTable}
        cursor={search.cursor}
        onPage={(cursor) => void navigate({ to: "/imports", search: { ...search, cursor } })}
      />
    </section>
  );
}
