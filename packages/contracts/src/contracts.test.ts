import { describe, expect, it } from "vitest";

import { EmailSchema, ERROR_CODES, ERROR_STATUS, RegisterInputSchema } from "./index";

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
});
