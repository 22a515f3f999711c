import type { TRPCRouterRecord } from "@trpc/server";

import { AuditEventPageSchema, ListAuditEventsInputSchema } from "@runway/contracts";
import { listAuditEvents } from "@runway/core";

import { adminProcedure } from "./admin";

export const adminAuditEventsRouter = {
  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/audit-events",
        operationId: "listAuditEvents",
        tags: ["admin"],
        summary: "Security audit events, newest first",
        description:
          "Sign-ins, refreshes, reuse detections, sign-outs, password and role changes, " +
          "session revocations. Filter by `type` and by the `userId` an event is about.",
      },
      errors: ["UNAUTHENTICATED", "FORBIDDEN", "VALIDATION_FAILED"],
    })
    .input(ListAuditEventsInputSchema)
    .output(AuditEventPageSchema)
    .query(({ ctx, input }) => listAuditEvents(ctx.core, input)),
} satisfies TRPCRouterRecord;
