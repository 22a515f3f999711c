import type { ErrorCode, ErrorIssue } from "@runway/contracts";
import { ERROR_STATUS } from "@runway/contracts";

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
    // A client error is an answer, not a fault: no one reads its stack, yet tRPC copies `stack`
    // from every error a procedure throws, and formatting one maps each frame through the
    // bundle's source map under --enable-source-maps (the images' flag): a 401 cost 353 µs of
    // CPU instead of 239 (docs/performance.md, fourth pass). Server errors keep theirs.
    if (ERROR_STATUS[code] < 500) {
      Object.defineProperty(this, "stack", {
        value: `${new.target.name}: ${this.message}`,
        writable: true,
        configurable: true,
      });
    }
  }
}
