import { describe, expect, it } from "vitest";

import {
  EmailSchema,
  ERROR_CODES,
  ERROR_STATUS,
  errorCodeForStatus,
  RegisterInputSchema,
} from "./index";

describe("contracts", () => {
  it("normalizes emails: trimmed and lower-cased", () => {
    expect(EmailSchema.parse("  Jane.Doe@Example.COM ")).toBe("jane.doe@example.com");
    expect(EmailSchema.safeParse("not-an-email").success).toBe(false);
    expect(EmailSchema.safeParse(`${"a".repeat(250)}@x.io`).success).toBe(false);
  });

  it("rejects unknown fields on inputs, so roles cannot ride along", () => {
    const result = RegisterInputSchema.safeParse({
      email: "a@example.com",
      password: "x".repeat(12),
      roles: ["admin"],
    });
    expect(result.success).toBe(false);
  });

  it("maps every error code to a 4xx or 5xx status", () => {
    for (const code of ERROR_CODES) expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
    expect(ERROR_STATUS.INTERNAL_ERROR).toBe(500);
  });

  it("names a failure known only by its status with a code of that status", () => {
    expect(errorCodeForStatus(400)).toBe("BAD_REQUEST");
    expect(errorCodeForStatus(401)).toBe("UNAUTHENTICATED");
    expect(errorCodeForStatus(405)).toBe("METHOD_NOT_ALLOWED");
    expect(errorCodeForStatus(429)).toBe("RATE_LIMITED");
    expect(errorCodeForStatus(503)).toBe("SERVICE_UNAVAILABLE");
    for (const status of [400, 401, 403, 404, 405, 413, 415, 429, 431, 500, 503]) {
      expect(ERROR_STATUS[errorCodeForStatus(status)]).toBe(status);
    }
    // No code of ours means "some conflict" or "bad gateway": those stay internal.
    expect(errorCodeForStatus(409)).toBe("INTERNAL_ERROR");
    expect(errorCodeForStatus(502)).toBe("INTERNAL_ERROR");
  });
});
