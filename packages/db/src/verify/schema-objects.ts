import { is } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";

import * as schema from "../schema";

export interface ExpectedTable {
  name: string;
  columns: string[];
  /** Every index, primary keys included, by the name drizzle-kit gives it. */
  indexes: string[];
}

/** Column names as they are in SQL: the client and drizzle-kit both use snake_case casing. */
function columnName(column: { name: string; keyAsName: boolean }): string {
  return column.keyAsName ? toSnakeCase(column.name) : column.name;
}

/** The tables and indexes of the drizzle schema, read from the schema itself. */
export function expectedTables(): ExpectedTable[] {
  const tables: ExpectedTable[] = [];
  for (const value of Object.values(schema)) {
    if (!is(value, PgTable)) continue;
    const config = getTableConfig(value);
    const primary = config.columns.some((column) => column.primary) ? [`${config.name}_pkey`] : [];
    const composite = config.primaryKeys.map(
      (pk) =>
        pk.name ?? `${config.name}_${pk.columns.map((column) => columnName(column)).join("_")}_pk`,
    );
    const indexes = config.indexes
      .map((index) => index.config.name)
      .filter((name): name is string => name !== undefined);
    tables.push({
      name: config.name,
      columns: config.columns.map((column) => columnName(column)),
      indexes: [...primary, ...composite, ...indexes],
    });
  }
  return tables.sort((a, b) => a.name.localeCompare(b.name));
}
