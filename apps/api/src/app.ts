import type { NextFunction, Request, Response } from "express";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express from "express";
import helmet from "helmet";
import swaggerUi from "swagger-ui-express";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";

import type { Context, RateLimits } from "@runway/api";
import type { Config } from "@runway/config";
import type { Core } from "@runway/core";
import type { ErrorTracker, Logger, Metrics, MetricsWindow } from "@runway/observability";
import type { ImportQueue } from "@runway/queue";
import { appRouter, buildOpenApiDocument, clientBucket, successStatusOf } from "@runway/api";
import { migrationsFolder, verifyDatabase } from "@runway/db";
import { metricsHistory, serveMetrics, SUMMARY_WINDOW_MS } from "@runway/observability";

import type { PressureSource } from "./http/load-shedding";
import { adminConsole } from "./http/admin-console";
import { requireAppVersion } from "./http/app-version";
import { consoleCookie } from "./http/console-cookie";
import { corsAllowlist } from "./http/cors";
import { sendError, toErrorEnvelope } from "./http/errors";
import { requireHttps } from "./http/https";
import { loadShedding, pressureSource } from "./http/load-shedding";
import { localAdminRoute } from "./http/local-admin";
import { observeRequests } from "./http/observe";
import { oneLayer } from "./http/one-layer";
import { ipRateLimit } from "./http/rate-limit";
import {
  headAsGet,
  normalizeMediaType,
  noStore,
  refuseContentCoding,
  refuseDeepQueryInput,
  trpcErrorRequestIds,
  verifyJsonDepth,
} from "./http/request-guards";
import { requestId } from "./http/request-id";
import { rewriteBody } from "./http/rewrite-body";
import { restRoutes } from "./http/routes";

export interface AppDeps {
  config: Config;
  core: Core;
  queue: ImportQueue;
  limits: RateLimits;
  logger: Logger;
  metrics: Metrics;
  window: MetricsWindow;
  errors: ErrorTracker;
  readiness: () => Promise<Record<string, string>>;
  /** Embedded mode: the token `pnpm admin:create` presents to create an admin through us. */
  localAdminToken?: string | null;
  /** The pressure the load shedder reads; sampled from perf_hooks and responses unless given. */
  pressure?: PressureSource;
}

/**
 * An operation without a request body (logout-all, revoke) may be called with no body and no
 * Content-Type, as Retrofit does for a bodiless POST; the adapter insists on JSON, so say so.
 */
const hasBody = (req: Request) =>
  req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;

function bodilessAsJson(req: Request, _res: Response, next: NextFunction): void {
  if (!hasBody(req) && req.headers["content-type"] === undefined)
    req.headers["content-type"] = "application/json";
  next();
}

/**
 * trpc-to-openapi drops empty query parameters (`?limit=`) as if they were absent; the
 * contract says they are invalid, so say so before they get lost.
 */
function rejectEmptyQueryValues(req: Request, res: Response, next: NextFunction): void {
  const empty = Object.entries(req.query as Record<string, unknown>).filter(
    ([, value]) => value === "" || (Array.isArray(value) && value.includes("")),
  );
  if (empty.length > 0) {
    sendError(
      res,
      "VALIDATION_FAILED",
      "Input validation failed",
      empty.map(([name]) => ({ path: name, message: "Must not be empty" })),
    );
    return;
  }
  next();
}

/**
 * Rewrites /v1 error bodies into the ErrorResponse envelope; 204s go out without a body type.
 * trpc-to-openapi's node-http adapter (3.3.0, src/adapters/node-http/core.ts) spreads our
 * errorFormatter's shape into the body, then overwrites `message`, `code` (tRPC's, such as
 * "UNAUTHORIZED") and `issues` (zod's raw ones), and offers no hook to shape the body itself:
 * mcampa/trpc-to-openapi#168 ("node-http adapter overrides `errorFormatter`", open). Rewriting
 * what `res.end` sends is the workaround the same request (trpc/trpc-openapi#440) describes
 * upstream.
 */
const restResponses = rewriteBody((res, chunk) => {
  if (res.statusCode === 204) {
    res.removeHeader("Content-Type");
    return undefined;
  }
  if (res.statusCode >= 400 && typeof chunk === "string") {
    return toErrorEnvelope(chunk, res.statusCode, res.locals.requestId);
  }
  return chunk;
});

export function createApp({
  config,
  core,
  queue,
  limits,
  logger,
  metrics,
  window,
  errors,
  readiness,
  localAdminToken = null,
  pressure,
}: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.http.trustProxy);
  app.set("query parser", "simple");

  // Every answer is no-store JSON or a static asset with its own validators: no body hashing.
  app.disable("etag");

  app.use(oneLayer(requestId, observeRequests(logger, metrics)));
  // The liveness probe, with its request id, access line and metrics, but ahead of the rest:
  // it is never shed or rate-limited (a refused probe restarts a busy pod) and its static
  // answer needs no browser security headers, CORS or body checks.
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  const shedding = config.http.shedding;
  const shed =
    shedding.maxEventLoopDelayMs > 0 || shedding.maxInFlight > 0 || shedding.maxLatencyMs > 0;
  app.use(
    oneLayer(
      ...(shed ? [loadShedding(shedding, pressure ?? pressureSource())] : []),
      helmet({
        hsts: config.http.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
        contentSecurityPolicy: {
          directives: { "upgrade-insecure-requests": config.http.requireHttps ? [] : null },
        },
      }),
      ...(config.http.requireHttps ? [requireHttps(config.http.publicOrigins)] : []),
      corsAllowlist(config.http.corsOrigins),
      ipRateLimit(limits),
      refuseContentCoding,
      normalizeMediaType,
    ),
  );

  app.get("/readyz", async (_req, res) => {
    const checks = await readiness();
    const ready = Object.values(checks).every((value) => value === "ok");
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not_ready", checks });
  });
  // Off the public port unless a token guards it (METRICS_PORT serves it separately).
  const metricsToken = config.observability.metricsToken;
  if (metricsToken) {
    app.get("/metrics", (req, res, next) => {
      serveMetrics(req, res, metrics.registry, metricsToken).catch(next);
    });
  }

  const document = buildOpenApiDocument();
  app.get("/v1/openapi.json", (_req, res) => {
    res.json(document);
  });
  const verifyOptions = {
    production: config.isProduction,
    ...config.databaseCapacity,
    migrationsFolder: migrationsFolder(),
  };
  // What every request's context shares, made once.
  const traffic = () => window.summary(SUMMARY_WINDOW_MS);
  const verify = () => verifyDatabase(core.db, verifyOptions);
  const recordMatchLookups = (count: number) => {
    metrics.matchLookups.inc(count);
  };
  const deprecatedCall = (operationId: string) => {
    metrics.observeDeprecatedCall(operationId);
  };
  const trafficHistory = (minutes: number) => metricsHistory(window, minutes);
  // One object literal with every field, not a spread of the shared ones followed by the
  // request's closures: node 20's V8 kept an object built that way, with the request it
  // reaches, through young-generation collections (docs/performance.md, fourth pass).
  const context = (req: Request, res: Response, surface: "trpc" | "rest"): Context => ({
    core,
    queue,
    limits,
    traffic,
    verifyDatabase: verify,
    recordMatchLookups,
    deprecatedCall,
    trafficHistory,
    clientIp: clientBucket(req.ip),
    requestId: res.locals.requestId,
    authorization: req.get("authorization"),
    idempotencyKey: req.get("idempotency-key"),
    setHeader: (name, value) => res.setHeader(name, value),
    setUserId: (userId) => {
      res.locals.userId = userId;
    },
    consoleCookie: surface === "trpc" ? consoleCookie(req, res, config) : undefined,
    reportError: (message, error) => {
      logger.warn(message, { requestId: res.locals.requestId, error });
    },
  });
  const logError = (error: { code: string; cause?: unknown }, requestId: string | undefined) => {
    if (error.code === "INTERNAL_SERVER_ERROR") {
      logger.error("request failed", { requestId, error: error.cause ?? error });
      errors.capture(error.cause ?? error, { requestId: requestId ?? null });
    }
  };

  const json = express.json({
    limit: config.http.bodyLimitBytes,
    strict: true,
    type: ["application/json", "application/*+json"],
    verify: verifyJsonDepth,
  });

  // A bodiless tRPC mutation (cleanup, sign-out) has no input; express.json would make it `{}`.
  const jsonIfBody = (req: Request, res: Response, next: NextFunction) => {
    if (hasBody(req)) json(req, res, next);
    else next();
  };
  app.use(
    "/trpc",
    oneLayer(
      noStore,
      headAsGet,
      trpcErrorRequestIds,
      refuseDeepQueryInput,
      jsonIfBody,
      createExpressMiddleware({
        router: appRouter,
        createContext: ({ req, res }) => context(req, res, "trpc"),
        maxBatchSize: config.http.trpcMaxBatch,
        onError: ({ error, ctx }) => {
          logError(error, ctx?.requestId);
        },
      }),
    ),
  );

  const rest = createOpenApiNodeHttpHandler({
    router: appRouter,
    // Express hands the adapter its own request and response objects.
    createContext: ({ req, res }) => context(req as Request, res as Response, "rest"),
    maxBodySize: config.http.bodyLimitBytes,
    responseMeta: (opts) => {
      // trpc-to-openapi fills only `paths` (its `info.calls` is empty).
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      const path = opts.paths?.[0];
      return opts.errors.length === 0 && path ? { status: successStatusOf(path) } : {};
    },
    onError: ({ error, ctx }: { error: { code: string; cause?: unknown }; ctx?: Context }) => {
      logError(error, ctx?.requestId);
    },
  });
  app.use(
    "/v1",
    oneLayer(
      noStore,
      headAsGet,
      requireAppVersion(config.http.minAppVersion),
      rejectEmptyQueryValues,
      bodilessAsJson,
      json,
      restResponses,
      (req, res, next) => rest(req, res, next),
    ),
  );

  // After the API: no API request pays for matching these.
  app.use(
    "/docs",
    swaggerUi.serve,
    // Deep links (/docs/#/tag/operationId) are what a deprecated operation's Link points at.
    swaggerUi.setup(document, {
      customSiteTitle: "Runway API reference",
      swaggerOptions: { deepLinking: true },
    }),
  );

  if (localAdminToken) app.use("/internal/admin-create", localAdminRoute(core, localAdminToken));
  if (config.http.adminConsoleDir) {
    app.use(
      "/admin",
      adminConsole(config.http.adminConsoleDir, (message) => {
        logger.warn(message);
      }),
    );
  }

  app.use((req: Request, res: Response) => {
    const route = restRoutes.find((r) => r.pattern.test(req.path));
    if (route) {
      res.setHeader("Allow", route.methods.join(", "));
      sendError(res, "METHOD_NOT_ALLOWED", `Use ${route.methods.join(" or ")} for this path`);
      return;
    }
    sendError(res, "NOT_FOUND", "No such route");
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: string } | null)?.type;
    if (type === "request.aborted") {
      // The client hung up while sending its body: nobody is left to answer, and nothing of
      // ours failed. The access line records it as 499.
      res.destroy();
    } else if (type === "entity.too.large") {
      sendError(
        res,
        "PAYLOAD_TOO_LARGE",
        `Request body exceeds ${config.http.bodyLimitBytes} bytes`,
      );
    } else if (type === "entity.too.deep") {
      sendError(res, "BAD_REQUEST", (error as Error).message);
    } else if (type === "entity.parse.failed") {
      sendError(res, "BAD_REQUEST", "Malformed JSON body");
    } else if (type === "encoding.unsupported" || type === "charset.unsupported") {
      sendError(res, "UNSUPPORTED_MEDIA_TYPE", "Unsupported body encoding");
    } else {
      logger.error("unhandled error", { requestId: res.locals.requestId, error });
      errors.capture(error, { requestId: res.locals.requestId });
      sendError(res, "INTERNAL_ERROR", "Something went wrong on our side");
    }
  });

  return app;
}
