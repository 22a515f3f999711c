import type { Meta } from "../trpc";
import { requireRole } from "../trpc";

export const adminProcedure = requireRole("admin");

type OpenApi = NonNullable<Meta["openapi"]>;

/**
 * The meta of an admin operation, under the admin tag. Its 401 and 403 need no listing: the
 * document derives them from the bearer token and the role `adminProcedure` checks.
 */
export function adminMeta(
  method: OpenApi["method"],
  path: OpenApi["path"],
  operationId: string,
  summary: string,
  { description, ...meta }: Omit<Meta, "openapi"> & { description?: string } = {},
): Meta {
  return {
    ...meta,
    openapi: {
      method,
      path,
      operationId,
      summary,
      tags: ["admin"],
      ...(description ? { description } : {}),
    },
  };
}
