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
  it("splits header names, camelCase and acronyms into words", () => {
    expect(words("X-Request-ID")).toEqual(["X", "Request", "ID"]);
    expect(words("HTTPServer2xx")).toEqual(["HTTP", "Server2xx"]);
    expect(words("logout_all")).toEqual(["logout", "all"]);
  });

  it("keeps identifiers as written and camelCases the rest", () => {
    expect(camelName("nextCursor")).toBe("nextCursor");
    expect(camelName("Idempotency-Key")).toBe("idempotencyKey");
    expect(camelName("X-Request-ID")).toBe("xRequestId");
    expect(camelName("1st-place")).toBe("_1stPlace");
    expect(camelName("---")).toBe("value");
  });

  it("makes type and enum constant names", () => {
    expect(pascalName("auth")).toBe("Auth");
    expect(pascalName("dead-letters")).toBe("DeadLetters");
    expect(pascalName("2fa")).toBe("T2fa");
    expect(constantName("in_use")).toBe("IN_USE");
    expect(constantName("inProgress")).toBe("IN_PROGRESS");
    expect(constantName("VALIDATION_FAILED")).toBe("VALIDATION_FAILED");
    expect(constantName("")).toBe("EMPTY");
  });

  it("backticks hard keywords only", () => {
    expect(escapeIdentifier("object")).toBe("`object`");
    expect(escapeIdentifier("in")).toBe("`in`");
    expect(escapeIdentifier("import")).toBe("import");
    expect(escapeIdentifier("value")).toBe("value");
  });

  it("never hands out the same name twice, ignoring case", () => {
    const names = new NameAllocator(["WireEnum"]);
    expect(names.allocate("Widget")).toBe("Widget");
    expect(names.allocate("widget")).toBe("widget2");
    expect(names.allocate("Widget")).toBe("Widget3");
    expect(names.allocate("wireEnum")).toBe("wireEnum2");
  });
});
