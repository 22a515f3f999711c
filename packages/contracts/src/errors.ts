import { z } from "zod";

/**
 * The closed set of error codes a client can branch on. Codes are stable: a new failure mode
 * gets a new code, an existing code never changes meaning.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  WEAK_PASSWORD: 400,
  IDEMPOTENCY_KEY_MISSING: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  REFRESH_TOKEN_REUSED: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  CURRENT_PASSWORD_INCORRECT: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  EMAIL_TAKEN: 409,
  LAST_ADMIN: 409,
  IDEMPOTENCY_REQUEST_IN_PROGRESS: 409,
  DEAD_LETTER_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  HTTPS_REQUIRED: 426,
  APP_UPGRADE_REQUIRED: 426,
  RATE_LIMITED: 429,
  REQUEST_HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/**
 * The code a failure gets when all that is known of it is its HTTP status (a parser, the router
 * or a library refused the request, not our code). Statuses without one are reported as
 * INTERNAL_ERROR: nothing we raise on purpose reaches a client that way.
 */
const GENERIC_CODES = [
  "BAD_REQUEST",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "RATE_LIMITED",
  "REQUEST_HEADERS_TOO_LARGE",
  "INTERNAL_ERROR",
  "SERVICE_UNAVAILABLE",
] as const satisfies readonly ErrorCode[];

const GENERIC_CODE_BY_STATUS = new Map<number, ErrorCode>(
  GENERIC_CODES.map((code) => [ERROR_STATUS[code], code]),
);

export function errorCodeForStatus(status: number): ErrorCode {
  return GENERIC_CODE_BY_STATUS.get(status) ?? "INTERNAL_ERROR";
}

export const ErrorCodeSchema = z.enum(ERROR_CODES).meta({
  id: "ErrorCode",
  description: "Stable machine-readable error code.",
});

export const ErrorIssueSchema = z
  .object({
    path: z.string().meta({ description: "Dotted path of the offending field.", example: "email" }),
    message: z
      .string()
      .meta({ description: "What is wrong with it.", example: "Invalid email address" }),
  })
  .meta({ id: "ErrorIssue" });

export const ErrorResponseSchema = z
  .object({
    code: ErrorCodeSchema,
    message: z.string().meta({ description: "Human-readable summary; never internal details." }),
    requestId: z.string().meta({
      description: "The request id, as in the X-Request-ID response header.",
      example: "01JDQ9Y8ZK5V3N4M2P1Q0R9S8T",
    }),
    issues: z.array(ErrorIssueSchema).optional().meta({
      description: "Per-field problems, present for VALIDATION_FAILED.",
    }),
    minAppVersion: z.string().optional().meta({
      description:
        "Present for APP_UPGRADE_REQUIRED: the oldest app version the API still serves. Show a forced-update screen.",
      example: "2.4.0",
    }),
  })
  .meta({ id: "ErrorResponse", description: "The one error envelope of every failed request." });

export type ErrorIssue = z.infer<typeof ErrorIssueSchema>;
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
