import type { TRPCRouterRecord } from "@trpc/server";

import {
  AdminImportDetailSchema,
  AdminImportPageSchema,
  AdminListImportsInputSchema,
  ImportIdInputSchema,
  ImportItemPageSchema,
  ListImportItemsInputSchema,
} from "@runway/contracts";
import { adminGetImport, adminListImports, listImportItems } from "@runway/core";

import { adminProcedure } from "./admin";

const tags = ["admin"];
const errors = ["UNAUTHENTICATED", "FORBIDDEN", "VALIDATION_FAILED"] as const;

export const adminImportsRouter = {
  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/imports",
        operationId: "adminListImports",
        tags,
        summary: "All imports, newest first",
      },
      errors: [...errors],
    })
    .input(AdminListImportsInputSchema)
    .output(AdminImportPageSchema)
    .query(({ ctx, input }) => adminListImports(ctx.core, input)),

  get: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/imports/{importId}",
        operationId: "adminGetImport",
        tags,
        summary: "Any user's import, with its owner and the request id that created it",
      },
      errors: [...errors, "NOT_FOUND"],
    })
    .input(ImportIdInputSchema)
    .output(AdminImportDetailSchema)
    .query(({ ctx, input }) => adminGetImport(ctx.core, input.importId)),

  items: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/imports/{importId}/items",
        operationId: "adminListImportItems",
        tags,
        summary: "Any import's items in submission order, masked only",
      },
      errors: [...errors, "NOT_FOUND"],
    })
    .input(ListImportItemsInputSchema)
    .output(ImportItemPageSchema)
    .query(({ ctx, input }) => listImportItems(ctx.core, null, input)),
} satisfies TRPCRouterRecord;
