import type { ReactNode } from "react";

import { Pager } from "./pager";
import { QueryState } from "./status";

export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** On the header and the cells: "num" right-aligns figures. */
  className?: string;
  /** On the cells only: "wrap" lets long text wrap. */
  cellClassName?: string;
}

/** What a table shows of its rows, apart from the rows themselves. */
export interface TableSpec<T> {
  /** The accessible name of the scrollable region. */
  label: string;
  columns: Column<T>[];
  rowKey: (row: T) => string | number;
}

/** A scrollable, keyboard-reachable table with one row per item. */
export function DataTable<T>({
  table: { label, columns, rowKey },
  rows,
}: {
  table: TableSpec<T>;
  rows: T[];
}) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col" className={column.className}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column, i) => (
                <td key={i} className={column.cellClassName ?? column.className}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A listing query's page as a table, with its empty text and the keyset pager under it. */
export function PagedTable<T>({
  query,
  empty,
  cursor,
  onPage,
  table,
}: {
  query: {
    isPending: boolean;
    error: unknown;
    data: { items: T[]; nextCursor: string | null } | undefined;
  };
  empty: ReactNode;
  cursor: string | undefined;
  onPage: (cursor: string | undefined) => void;
  table: TableSpec<T>;
}) {
  return (
    <QueryState query={query} isEmpty={(page) => page.items.length === 0} empty={empty}>
      {(page) => (
        <>
          <DataTable table={table} rows={page.items} />
          <Pager cursor={cursor} nextCursor={page.nextCursor} onPage={onPage} />
        </>
      )}
    </QueryState>
  );
}

/** A user's roles as badges. */
export function RoleBadges({ roles }: { roles: readonly string[] }) {
  return roles.map((role) => (
    <span key={role} className={`badge role-${role}`}>
      {role}
    </span>
  ));
}
