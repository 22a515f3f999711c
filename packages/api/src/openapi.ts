import type { OpenAPIObject } from "trpc-to-openapi";
import { generateOpenApiDocument } from "trpc-to-openapi";

import type { ErrorCode, Role } from "@runway/contracts";
import {
  APP_VERSION_HEADER,
  APP_VERSION_MAX_LENGTH,
  ERROR_STATUS,
  ErrorResponseSchema,
  SEMVER_PATTERN,
} from "@runway/contracts";

import type { Deprecation } from "./deprecation";
import type { Meta } from "./trpc";
import { deprecationDocsPath, deprecationHeaders } from "./deprecation";
import { appRouter } from "./root";

export const API_VERSION = "1.1.0";

interface OperationMeta {
  procedurePath: string;
  method: string;
  path: string;
  successStatus: number;
  errors: ErrorCode[];
  protect: boolean;
  role?: Role;
  hasBody: boolean;
  operationId: string;
  tag: string;
  deprecation?: Deprecation;
}

/** Every /v1 operation with the parts of its meta the document and the server both need. */
export function listOperations(): OperationMeta[] {
  return Object.entries(appRouter._def.procedures).flatMap(([procedurePath, procedure]) => {
    const meta = (procedure as unknown as { _def: { meta?: Meta } })._def.meta;
    if (!meta?.openapi) return [];
    const method = meta.openapi.method.toLowerCase();
    return [
      {
        procedurePath,
        method,
        path: meta.openapi.path,
        successStatus: meta.successStatus ?? 200,
        errors: meta.errors ?? [],
        protect: meta.openapi.protect ?? true,
        ...(meta.role ? { role: meta.role } : {}),
        hasBody: method === "post" || method === "put" || method === "patch",
        operationId: meta.openapi.operationId ?? procedurePath,
        tag: meta.openapi.tags?.[0] ?? "default",
        ...(meta.deprecation ? { deprecation: meta.deprecation } : {}),
      },
    ];
  });
}

const successStatusByPath = new Map(
  listOperations().map((op) => [op.procedurePath, op.successStatus]),
);

/** The REST success status of a procedure (201, 202, 204 where the contract says so). */
export function successStatusOf(procedurePath: string): number {
  return successStatusByPath.get(procedurePath) ?? 200;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Missing, invalid or revoked credentials",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  422: "Unprocessable",
  503: "Unavailable",
  413: "Request body too large",
  415: "Unsupported content type or encoding",
  426: "Upgrade required",
  429: "Too many requests",
  431: "Request headers too large",
  500: "Internal error",
};

/**
 * What any /v1 request can meet outside its procedure (apps/api server.ts and app.ts): a header
 * block over the server's cap, plain HTTP where HTTPS is required, the per-IP rate limit (every
 * route but the probes), a Content-Encoding other than identity, a malformed or too old
 * X-App-Version, input that fails validation, load shedding or a database that is restarting
 * (503 with Retry-After, not 500), and a bug.
 */
const EVERY_OPERATION: readonly ErrorCode[] = [
  "REQUEST_HEADERS_TOO_LARGE",
  "HTTPS_REQUIRED",
  "RATE_LIMITED",
  "UNSUPPORTED_MEDIA_TYPE",
  "APP_UPGRADE_REQUIRED",
  "VALIDATION_FAILED",
  "SERVICE_UNAVAILABLE",
  "INTERNAL_ERROR",
];

/** A request body can be malformed JSON, too large, or of another media type. */
const WITH_BODY: readonly ErrorCode[] = [
  "BAD_REQUEST",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
];

/** The codes an operation can answer: its own (meta `errors`) and those its shape implies. */
export function errorCodesOf(op: OperationMeta): Set<ErrorCode> {
  return new Set<ErrorCode>([
    ...op.errors,
    ...EVERY_OPERATION,
    ...(op.hasBody ? WITH_BODY : []),
    ...(op.protect ? (["UNAUTHENTICATED"] as const) : []),
    ...(op.role ? (["FORBIDDEN"] as const) : []),
  ]);
}

type Responses = Record<
  string,
  { description: string; content?: unknown; headers?: Record<string, unknown> }
>;

interface DocumentOperation {
  responses: Responses;
  parameters?: unknown[];
  description?: string;
  deprecated?: boolean;
  "x-sunset"?: string;
}

/**
 * `deprecated: true`, oasdiff's `x-sunset` (so removing the operation before then fails the
 * compatibility gate), a description of what to use instead, and the headers on every response.
 */
function markDeprecated(operation: DocumentOperation, op: OperationMeta, deprecation: Deprecation) {
  // Checks the dates when the document is built (startup, openapi:generate), not per request.
  deprecationHeaders(deprecation, deprecationDocsPath(op.tag, op.operationId));
  operation.deprecated = true;
  operation["x-sunset"] = deprecation.sunset;
  const notice = `Deprecated since ${deprecation.since}; may be removed after ${deprecation.sunset} (Sunset). Use ${deprecation.replacement} instead. Responses carry Deprecation, Sunset and a Link (rel="deprecation") to ${deprecationDocsPath(op.tag, op.operationId)}.`;
  operation.description = operation.description ? `${operation.description}\n\n${notice}` : notice;
  for (const response of Object.values(operation.responses)) {
    response.headers = {
      ...response.headers,
      Deprecation: { $ref: "#/components/headers/Deprecation" },
      Sunset: { $ref: "#/components/headers/Sunset" },
      Link: { $ref: "#/components/headers/DeprecationLink" },
    };
  }
}

const secondsOrCountHeader = (description: string) => ({
  description,
  schema: { type: "integer" as const, minimum: 0 },
});

/**
 * The generator documents every success as 200 and uses its own error shape. Rewrite each
 * operation to what the server really answers: its success status (no body for 204) and the
 * one ErrorResponse envelope for each error status it can produce.
 */
function finalize(document: OpenAPIObject): OpenAPIObject {
  const requestIdHeader = { $ref: "#/components/headers/XRequestId" };
  const rateLimitHeaders = {
    "X-Request-ID": requestIdHeader,
    "Retry-After": { $ref: "#/components/headers/RetryAfter" },
    "RateLimit-Limit": { $ref: "#/components/headers/RateLimitLimit" },
    "RateLimit-Remaining": { $ref: "#/components/headers/RateLimitRemaining" },
    "RateLimit-Reset": { $ref: "#/components/headers/RateLimitReset" },
  };
  for (const op of listOperations()) {
    const operation = document.paths?.[op.path]?.[op.method as "get"] as
      DocumentOperation | undefined;
    if (!operation) throw new Error(`operation missing from document: ${op.method} ${op.path}`);
    const success = operation.responses["200"];
    if (!success) throw new Error(`no success response for ${op.method} ${op.path}`);
    const responses: Responses = {};
    const idempotent = (operation.parameters ?? []).some(
      (parameter) => (parameter as { name?: string }).name === "Idempotency-Key",
    );
    const successHeaders = {
      "X-Request-ID": requestIdHeader,
      ...(idempotent
        ? { "Idempotent-Replayed": { $ref: "#/components/headers/IdempotentReplayed" } }
        : {}),
    };
    responses[String(op.successStatus)] =
      op.successStatus === 204
        ? { description: "Done; no content", headers: successHeaders }
        : { ...success, headers: successHeaders };

    const codes = errorCodesOf(op);
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of codes) {
      const status = ERROR_STATUS[code];
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
      responses[String(status)] = {
        description: `${STATUS_TEXT[status] ?? "Error"}: ${statusCodes.sort().join(", ")}`,
        headers:
          status === 429
            ? rateLimitHeaders
            : status === 503
              ? {
                  "X-Request-ID": requestIdHeader,
                  "Retry-After": {
                    description: "Seconds to wait before retrying.",
                    schema: { type: "integer" },
                  },
                }
              : { "X-Request-ID": requestIdHeader },
        content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } },
      };
    }
    operation.responses = responses;
    operation.parameters = [
      ...(operation.parameters ?? []),
      { $ref: "#/components/parameters/XRequestId" },
      { $ref: "#/components/parameters/XAppVersion" },
    ];
    if (op.deprecation) markDeprecated(operation, op, op.deprecation);
  }

  document.components = {
    ...document.components,
    parameters: {
      XRequestId: {
        name: "X-Request-ID",
        in: "header",
        required: false,
        description:
          "Client-chosen request id, echoed when it is 1-128 of A-Z a-z 0-9 . _ : - ; any other value is replaced by a generated id.",
        schema: { type: "string" },
      },
      XAppVersion: {
        name: APP_VERSION_HEADER,
        in: "header",
        required: false,
        description:
          "The app's own version (semver), sent by the Android client on every call. Older than the server's minimum: 426 APP_UPGRADE_REQUIRED (show a forced-update screen). Absent: not checked.",
        schema: {
          type: "string",
          maxLength: APP_VERSION_MAX_LENGTH,
          pattern: SEMVER_PATTERN.source,
        },
        example: "2.4.1",
      },
    },
    headers: {
      XRequestId: {
        description: "The request id: the client's X-Request-ID when valid, else a generated one.",
        schema: { type: "string" },
      },
      Deprecation: {
        description:
          "RFC 9745: this operation is deprecated since the given time (@<unix seconds>).",
        schema: { type: "string", pattern: "^@-?[0-9]+$" },
      },
      Sunset: {
        description: "RFC 8594: the operation may stop answering after this HTTP-date.",
        schema: { type: "string" },
      },
      DeprecationLink: {
        description: 'Documentation of the deprecation (rel="deprecation", RFC 9745).',
        schema: { type: "string" },
      },
      RetryAfter: secondsOrCountHeader("Seconds to wait before trying again."),
      RateLimitLimit: secondsOrCountHeader("Requests allowed in the limit's window."),
      RateLimitRemaining: secondsOrCountHeader("Requests left in the current window."),
      RateLimitReset: secondsOrCountHeader("Seconds until the window resets."),
      IdempotentReplayed: {
        description:
          "`true` when this is the stored first response to the same Idempotency-Key, replayed; absent on a first response.",
        schema: { type: "boolean" },
      },
    },
  };
  // The generator's own error schemas are no longer referenced.
  document.components.schemas = Object.fromEntries(
    Object.entries(document.components.schemas ?? {}).filter(
      ([name]) => !name.startsWith("error."),
    ),
  );
  return document;
}

export function buildOpenApiDocument(): OpenAPIObject {
  return finalize(
    generateOpenApiDocument(appRouter, {
      title: "Runway API",
      version: API_VERSION,
      description:
        "Accounts, sessions and administration for the Runway Android app. Errors always use the ErrorResponse envelope; every response carries X-Request-ID. The app sends its version in X-App-Version on every call; a version below the server's minimum gets 426 APP_UPGRADE_REQUIRED with minAppVersion in the body. Deprecated operations say so here and in Deprecation, Sunset and Link response headers until their sunset (docs/api-versioning.md).",
      baseUrl: "/v1",
      tags: ["auth", "me", "imports", "admin"],
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      defs: { ErrorResponse: ErrorResponseSchema },
    }),
  );
}

/** The committed form: stable key order and a trailing newline, so diffs stay readable. */
export function serializeOpenApiDocument(document: OpenAPIObject = buildOpenApiDocument()): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
