import type { ErrorCode, ErrorIssue } from "@runway/contracts";

const DEFAULT_MESSAGES: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED: "A valid access token is required",
  INVALID_CREDENTIALS: "Email or password is incorrect",
  INVALID_REFRESH_TOKEN: "The refresh token is invalid or expired",
  REFRESH_TOKEN_REUSED: "The refresh token was already used; the session has been ended",
  SESSION_EXPIRED: "The session has expired; sign in again",
  FORBIDDEN: "You do not have permission to do this",
  NOT_FOUND: "Not found",
  INTERNAL_ERROR: "Something went wrong on our side",
};

/**
 * A failure the client is meant to see. Its message is public: it must never carry SQL,
 * stack frames or anyone's personal data.
 */
export class AppError extends Error {
  override name = "AppError";
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;

  constructor(code: ErrorCode, message?: string, issues?: ErrorIssue[]) {
    super(message ?? DEFAULT_MESSAGES[code] ?? code);
    this.code = code;
    this.issues = issues;
  }
}
