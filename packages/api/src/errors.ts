import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";

import type { ErrorCode, ErrorIssue } from "@runway/contracts";
import { ERROR_STATUS, errorCodeForStatus } from "@runway/contracts";
import { AppError } from "@runway/core";

/**
 * tRPC derives the HTTP status from its own code, so each of our statuses travels as the tRPC
 * code of that status, read from tRPC's table. PARSE_ERROR shares 400 with BAD_REQUEST; it is
 * tRPC's, for bodies it could not read.
 */
const TRPC_KEY_BY_STATUS = new Map(
  (Object.keys(TRPC_ERROR_CODES_BY_KEY) as TRPC_ERROR_CODE_KEY[])
    .filter((key) => key !== "PARSE_ERROR")
    .map((key) => [getHTTPStatusCodeFromError(new TRPCError({ code: key })), key]),
);

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({
    code: TRPC_KEY_BY_STATUS.get(ERROR_STATUS[error.code]) ?? "INTERNAL_SERVER_ERROR",
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
  const code = errorCodeForStatus(getHTTPStatusCodeFromError(error));
  if (code === "INTERNAL_ERROR") {
    return { code, message: "Something went wrong on our side" };
  }
  // tRPC's own messages for these (bad JSON, unknown procedure, batch limits) are safe to show.
  return { code, message: error.message };
}
