import type { OpenAPIObject } from "trpc-to-openapi";
import { generateOpenApiDocument } from "trpc-to-openapi";

import type { ErrorCode } from "@runway/contracts";
import { ERROR_STATUS, ErrorResponseSchema } from "@runway/contracts";

import type { Meta } from "./trpc";
import { appRouter } from "./root";

export const API_VERSION = "1.0.0";

interface OperationMeta {
  procedurePath: string;
  method: string;
  path: string;
  successStatus: number;
  errors: ErrorCode[];
  protect: boolean;
  hasBody: boolean;
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
        hasBody: method === "post" || method === "put" || method === "patch",
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
  415: "Unsupported content type",
  429: "Too many requests",
  500: "Internal error",
};

type Responses = Record<string, { description: string; content?: unknown; headers?: unknown }>;

/**
 * The generator documents every success as 200 and uses its own error shape. Rewrite each
 * operation to what the server really answers: its success status (no body for 204) and the
 * one ErrorResponse envelope for each error status it can produce.
 */
function finalize(document: OpenAPIObject): OpenAPIObject {
  const requestIdHeader = { $ref: "#/components/headers/XRequestId" };
  for (const op of listOperations()) {
    const operation = document.paths?.[op.path]?.[op.method as "get"] as
      { responses: Responses; parameters?: unknown[] } | undefined;
    if (!operation) throw new Error(`operation missing from document: ${op.method} ${op.path}`);
    const success = operation.responses["200"];
    if (!success) throw new Error(`no success response for ${op.method} ${op.path}`);
    const responses: Responses = {};
    responses[String(op.successStatus)] =
      op.successStatus === 204
        ? { description: "Done; no content", headers: { "X-Request-ID": requestIdHeader } }
        : { ...success, headers: { "X-Request-ID": requestIdHeader } };

    // Any operation may meet a database that is restarting: 503 with Retry-After, not a 500.
    const codes = new Set<ErrorCode>([...op.errors, "INTERNAL_ERROR", "SERVICE_UNAVAILABLE"]);
    if (op.hasBody) {
      codes.add("BAD_REQUEST");
      codes.add("PAYLOAD_TOO_LARGE");
      codes.add("UNSUPPORTED_MEDIA_TYPE");
    }
    if (op.protect) codes.add("UNAUTHENTICATED");
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of codes) {
      const status = ERROR_STATUS[code];
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
      responses[String(status)] = {
        description: `${STATUS_TEXT[status] ?? "Error"}: ${statusCodes.sort().join(", ")}`,
        headers:
          status === 503
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
    ];
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
    },
    headers: {
      XRequestId: {
        description: "The request id: the client's X-Request-ID when valid, else a generated one.",
        schema: { type: "string" },
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
        "Accounts, sessions and administration for the Runway Android app. Errors always use the ErrorResponse envelope; every response carries X-Request-ID.",
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
