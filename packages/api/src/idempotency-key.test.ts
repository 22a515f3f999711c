import { describe, expect, it } from "vitest";

import { parseIdempotencyKey } from "./idempotency-key";

describe("Idempotency-Key parsing", () => {
  it("accepts quoted and bare keys up to 255 visible characters", () => {
    expect(parseIdempotencyKey('"abc"')).toBe("abc");
    expect(parseIdempotencyKey(" abc ")).toBe("abc");
    expect(parseIdempotencyKey("k".repeat(255))).toHaveLength(255);
  });

  it.each([
    [undefined, "IDEMPOTENCY_KEY_MISSING"],
    ["  ", "IDEMPOTENCY_KEY_MISSING"],
    ['"a b"', "IDEMPOTENCY_KEY_INVALID"],
    ["k".repeat(256), "IDEMPOTENCY_KEY_INVALID"],
    ["has space", "IDEMPOTENCY_KEY_INVALID"],
  ])("refuses %j with %s", (header, code) => {
    expect(() => parseIdempotencyKey(header)).toThrow(expect.objectContaining({ code }));
  });
});
