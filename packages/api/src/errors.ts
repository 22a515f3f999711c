import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";

import type { ErrorCode, ErrorIssue } from "@runway/contracts";
import { ERROR_STATUS } from "@runway/contracts";
import { AppError } from "@runway/core";

/** tRPC carries the HTTP status in its own code; each of ours maps onto exactly one. */
const TRPC_CODE_BY_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_SUPPORTED",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  422: "UNPROCESSABLE_CONTENT",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
  503: "SERVICE_UNAVAILABLE",
};

const CODE_BY_TRPC_CODE: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  PARSE_ERROR: "BAD_REQUEST",
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_SUPPORTED: "METHOD_NOT_ALLOWED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  TOO_MANY_REQUESTS: "RATE_LIMITED",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({
    code: TRPC_CODE_BY_STATUS[ERROR_STATUS[error.code]] ?? "INTERNAL_SERVER_ERROR",
    message: error.message,
    cause: error,
  });
}

export interface PublicError {
  code: ErrorCode;
  message: string;
  issues?: ErrorIssue[];
}

function zodIssues(error: ZodError): ErrorIssue[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

/**
 * What a client may learn about a failure. Anything we did not raise on purpose becomes a
 * generic INTERNAL_ERROR: no stack, no SQL, no driver message.
 */
export function publicError(error: TRPCError): PublicError {
  const cause = error.cause;
  if (cause instanceof AppError) {
    return {
      code: cause.code,
      message: cause.message,
      ...(cause.issues ? { issues: cause.issues } : {}),
    };
  }
  if (cause instanceof ZodError && error.code === "BAD_REQUEST") {
    return {
      code: "VALIDATION_FAILED",
      message: "Input validation failed",
      issues: zodIssues(cause),
    };
  }
  const code = CODE_BY_TRPC_CODE[error.code];
  if (!code) return { code: "INTERNAL_ERROR", message: "Something went wrong on our side" };
  // tRPC's own messages for these (bad JSON, unknown procedure, batch limits) are safe to show.
  return { code, message: error.message };
}
