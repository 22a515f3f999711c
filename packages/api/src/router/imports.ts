import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import {
  CreateImportInputSchema,
  ImportIdInputSchema,
  ImportItemPageSchema,
  ImportPageSchema,
  ImportResponseSchema,
  ListImportItemsInputSchema,
  ListImportsInputSchema,
} from "@runway/contracts";
import { acceptImport, deleteImport, getImport, listImportItems, listImports } from "@runway/core";

import { ACCEPTED, parseIdempotencyKey } from "../idempotency-key";
import { authedProcedure, enforce } from "../trpc";

const tags = ["imports"];

const present = (value: string | undefined) => (value?.trim() ?? "") !== "";

export const importsRouter = {
  create: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/imports",
        operationId: "createImport",
        tags,
        summary: "Upload contacts to match against registered users",
        description:
          "Requires an Idempotency-Key. Replaying a key returns the first response with `Idempotent-Replayed: true`; the same key with a different body is 422; while the first request is still running, 409. Only keyed hashes and masked previews of the contacts are stored.",
        requestHeaders: z.object({
          "Idempotency-Key": z
            .string()
            .regex(/^[\x21-\x7E]{1,255}$/)
            .meta({
              description: "Unique per upload attempt; reuse it when retrying the same upload.",
              examples: ["5f0c2b8e-1f7a-4c1d-9d1e-7a8b9c0d1e2f"],
            }),
        }),
      },
      successStatus: ACCEPTED,
      errors: [
        "VALIDATION_FAILED",
        "UNAUTHENTICATED",
        "IDEMPOTENCY_KEY_MISSING",
        "IDEMPOTENCY_KEY_INVALID",
        "IDEMPOTENCY_REQUEST_IN_PROGRESS",
        "IDEMPOTENCY_KEY_REUSED",
        "RATE_LIMITED",
      ],
    })
    .input(CreateImportInputSchema)
    .output(ImportResponseSchema)
    .mutation(async ({ ctx, input }) => {
      const idempotencyKey = parseIdempotencyKey(ctx.idempotencyKey);
      const userId = ctx.auth.userId;
      await enforce(ctx, "importRequests", userId);
      await enforce(ctx, "importItems", userId, input.items.length);
      // Each contact with an email or phone is a lookup against registered accounts: a daily
      // budget caps account discovery. Only a new request spends it, never a replay.
      const lookups = input.items.filter(
        (item) => present(item.email) || present(item.phone),
      ).length;
      const result = await acceptImport(ctx.core, ctx, {
        userId,
        idempotencyKey,
        input,
        meta: ctx,
        acceptedStatus: ACCEPTED,
        admit: () => enforce(ctx, "matchLookups", userId, lookups),
      });
      if (result.replayed) ctx.setHeader("Idempotent-Replayed", "true");
      else ctx.recordMatchLookups(lookups);
      return result.body;
    }),

  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/imports",
        operationId: "listImports",
        tags,
        summary: "Your imports, newest first",
      },
      errors: ["VALIDATION_FAILED", "UNAUTHENTICATED"],
    })
    .input(ListImportsInputSchema)
    .output(ImportPageSchema)
    .query(({ ctx, input }) => listImports(ctx.core, ctx.auth.userId, input)),

  get: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/imports/{importId}",
        operationId: "getImport",
        tags,
        summary: "One import",
      },
      errors: ["VALIDATION_FAILED", "UNAUTHENTICATED", "NOT_FOUND"],
    })
    .input(ImportIdInputSchema)
    .output(ImportResponseSchema)
    .query(async ({ ctx, input }) => ({
      import: await getImport(ctx.core, ctx.auth.userId, input.importId),
    })),

  items: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/imports/{importId}/items",
        operationId: "listImportItems",
        tags,
        summary: "Every submitted item in order, masked",
      },
      errors: ["VALIDATION_FAILED", "UNAUTHENTICATED", "NOT_FOUND"],
    })
    .input(ListImportItemsInputSchema)
    .output(ImportItemPageSchema)
    .query(({ ctx, input }) => listImportItems(ctx.core, ctx.auth.userId, input)),

  delete: authedProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/imports/{importId}",
        operationId: "deleteImport",
        tags,
        summary: "Erase an import and its items",
      },
      successStatus: 204,
      errors: ["VALIDATION_FAILED", "UNAUTHENTICATED", "NOT_FOUND"],
    })
    .input(ImportIdInputSchema)
    .output(z.void())
    .mutation(({ ctx, input }) => deleteImport(ctx.core, ctx.auth.userId, input.importId)),
} satisfies TRPCRouterRecord;
