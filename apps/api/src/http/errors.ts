import type { Response } from "express";

import type { ErrorCode, ErrorIssue, ErrorResponse } from "@runway/contracts";
import { ERROR_STATUS, errorCodeForStatus } from "@runway/contracts";

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

interface FormattedError {
  message?: unknown;
  data?: { code?: ErrorCode; issues?: ErrorIssue[] };
}

/**
 * The one envelope, rebuilt from the `data` our errorFormatter put in a REST error body (see
 * `restResponses` in app.ts for why the adapter's own body cannot be used as it is).
 */
export function toErrorEnvelope(raw: string, status: number, requestId: string): string {
  let parsed: FormattedError = {};
  try {
    parsed = JSON.parse(raw) as FormattedError;
  } catch {
    // Not ours: fall back to the status.
  }
  const code = parsed.data?.code ?? errorCodeForStatus(status);
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
