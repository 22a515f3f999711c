import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";

import { ImportStatusSchema } from "@runway/contracts";

import type { TableSpec } from "../components/table";
import type { RouterOutputs } from "../lib/api-types";
import { EnumSelect } from "../components/field";
import { ImportLink } from "../components/links";
import { PagedTable } from "../components/table";
import { formatCount, formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { importsRoute } from "../routes";

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
  const search = importsRoute.useSearch();
  const navigate = useNavigate();
  const imports = useQuery(trpc.admin.imports.list.queryOptions({ ...search, limit: 20 }));

  return (
    <section aria-labelledby="imports-title">
      <h1 id="imports-title">Imports</h1>
      <div className="filters">
        <EnumSelect
          id="status"
          label="Status"
          options={ImportStatusSchema.options}
          value={search.status}
          onChange={(status) => void navigate({ to: "/imports", search: { status } })}
        />
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
