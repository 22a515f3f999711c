import type { Response } from "express";

import type { ErrorCode, ErrorIssue, ErrorResponse } from "@runway/contracts";
import { ERROR_STATUS } from "@runway/contracts";

export function sendError(
  res: Response,
  code: ErrorCode,
  message: string,
  issues?: ErrorIssue[],
): void {
  const body: ErrorResponse = {
    code,
    message,
    requestId: res.locals.requestId,
    ...(issues ? { issues } : {}),
  };
  res.status(ERROR_STATUS[code]).json(body);
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
  503: "SERVICE_UNAVAILABLE",
};

interface FormattedError {
  message?: unknown;
  data?: { code?: ErrorCode; issues?: ErrorIssue[] };
}

/**
 * trpc-to-openapi writes its own `code` over our error shape. Rebuild the one envelope from
 * the shape our errorFormatter produced, before the bytes leave.
 */
export function toErrorEnvelope(raw: string, status: number, requestId: string): string {
  let parsed: FormattedError = {};
  try {
    parsed = JSON.parse(raw) as FormattedError;
  } catch {
    // Not ours: fall back to the status.
  }
  const code = parsed.data?.code ?? CODE_BY_STATUS[status] ?? "INTERNAL_ERROR";
  const message =
    code === "INTERNAL_ERROR" || typeof parsed.message !== "string"
      ? "Something went wrong on our side"
      : parsed.message;
  const envelope: ErrorResponse = {
    code,
    message,
    requestId,
    ...(parsed.data?.issues ? { issues: parsed.data.issues } : {}),
  };
  return JSON.stringify(envelope);
}
