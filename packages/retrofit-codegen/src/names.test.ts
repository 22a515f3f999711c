import { describe, expect, it } from "vitest";

import {
  camelName,
  constantName,
  escapeIdentifier,
  NameAllocator,
  pascalName,
  words,
} from "./names";

describe("names", () => {
  it.each([
    // Header names, camelCase and acronyms split into words.
    { fn: words, input: "X-Request-ID", expected: ["X", "Request", "ID"] },
    { fn: words, input: "HTTPServer2xx", expected: ["HTTP", "Server2xx"] },
    { fn: words, input: "logout_all", expected: ["logout", "all"] },
    // Identifiers stay as written; the rest is camelCased.
    { fn: camelName, input: "nextCursor", expected: "nextCursor" },
    { fn: camelName, input: "Idempotency-Key", expected: "idempotencyKey" },
    { fn: camelName, input: "X-Request-ID", expected: "xRequestId" },
    { fn: camelName, input: "1st-place", expected: "_1stPlace" },
    { fn: camelName, input: "---", expected: "value" },
    // Type and enum constant names.
    { fn: pascalName, input: "auth", expected: "Auth" },
    { fn: pascalName, input: "dead-letters", expected: "DeadLetters" },
    { fn: pascalName, input: "2fa", expected: "T2fa" },
    { fn: constantName, input: "in_use", expected: "IN_USE" },
    { fn: constantName, input: "inProgress", expected: "IN_PROGRESS" },
    { fn: constantName, input: "VALIDATION_FAILED", expected: "VALIDATION_FAILED" },
    { fn: constantName, input: "", expected: "EMPTY" },
    // Hard keywords only are backticked.
    { fn: escapeIdentifier, input: "object", expected: "`object`" },
    { fn: escapeIdentifier, input: "in", expected: "`in`" },
    { fn: escapeIdentifier, input: "import", expected: "import" },
    { fn: escapeIdentifier, input: "value", expected: "value" },
  ])("$fn.name($input) is $expected", ({ fn, input, expected }) => {
    expect(fn(input)).toEqual(expected);
  });

  it("never hands out the same name twice, ignoring case", () => {
    const names = new NameAllocator(["WireEnum"]);
    expect(names.allocate("Widget")).toBe("Widget");
    expect(names.allocate("widget")).toBe("widget2");
    expect(names.allocate("Widget")).toBe("Widget3");
    expect(names.allocate("wireEnum")).toBe("wireEnum2");
  });
});
