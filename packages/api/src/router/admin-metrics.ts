import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import {
  MetricsHistoryInputSchema,
  MetricsHistorySchema,
  MetricsSummarySchema,
} from "@runway/contracts";
import { countDeadLetters, importTimeP95 } from "@runway/core";

import { adminProcedure } from "./admin";
import { queueCounts } from "./admin-ops";

const tags = ["admin"];
const errors = ["UNAUTHENTICATED", "FORBIDDEN"] as const;
const gauge = (gauges: Record<string, number | null>, name: string) => gauges[name] ?? null;

export const adminMetricsRouter = {
  summary: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/metrics",
        operationId: "getMetricsSummary",
        tags,
        summary: "Latency, error ratios, queue and refresh figures for the admin console",
        description:
          "Traffic figures cover this API replica over the last 15 minutes (or since it started); " +
          "queue, job and dead-letter figures are global. Prometheus has the fleet-wide view.",
      },
      errors: [...errors, "SERVICE_UNAVAILABLE"],
    })
    .input(z.void())
    .output(MetricsSummarySchema)
    .query(async ({ ctx }) => {
      const [traffic, counts, jobTimeP95Seconds, deadLetters] = await Promise.all([
        ctx.traffic(),
        queueCounts(ctx),
        importTimeP95(ctx.core),
        countDeadLetters(ctx.core),
      ]);
      return {
        windowSeconds: traffic.windowSeconds,
        requests: traffic.requests,
        latencyP50Seconds: traffic.latencyP50Seconds,
        latencyP95Seconds: traffic.latencyP95Seconds,
        clientErrorRatio: traffic.clientErrorRatio,
        serverErrorRatio: traffic.serverErrorRatio,
        queueDepth: counts.waiting + counts.delayed + counts.active,
        oldestWaitingAgeSeconds: counts.oldestWaitingAgeSeconds,
        jobTimeP95Seconds,
        deadLetters,
        revokeHitRate: traffic.revokeHitRate,
      };
    }),

  history: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/metrics/history",
        operationId: "getMetricsHistory",
        tags,
        summary: "The summary's figures as a time series, for the console's charts",
        description:
          "Points of this API replica, oldest first, at most 180 over the last `minutes` (5-60). " +
          "Traffic figures of a point cover the time since the previous one; queue, job and " +
          "dead-letter figures are sampled at the point (null when the queue was unreachable). " +
          "A replica keeps one hour; after a restart the series starts again.",
      },
      errors: [...errors, "VALIDATION_FAILED"],
    })
    .input(MetricsHistoryInputSchema)
    .output(MetricsHistorySchema)
    .query(async ({ ctx, input }) => {
      const { stepMs, points } = await ctx.trafficHistory(input.minutes);
      return {
        stepSeconds: Math.round(stepMs / 1000),
        points: points.map(({ at, traffic, gauges }) => ({
          at: new Date(at).toISOString(),
          requests: traffic.requests,
          latencyP50Seconds: traffic.latencyP50Seconds,
          latencyP95Seconds: traffic.latencyP95Seconds,
          clientErrorRatio: traffic.clientErrorRatio,
          serverErrorRatio: traffic.serverErrorRatio,
          revokeHitRate: traffic.revokeHitRate,
          queueDepth: gauge(gauges, "queueDepth"),
          oldestWaitingAgeSeconds: gauge(gauges, "oldestWaitingAgeSeconds"),
          jobTimeP95Seconds: gauge(gauges, "jobTimeP95Seconds"),
          deadLetters: gauge(gauges, "deadLetters"),
        })),
      };
    }),
} satisfies TRPCRouterRecord;
