import { describe, expect, it } from "vitest";

import { createCapturingLogger } from "./logger";

const capture = () => createCapturingLogger("api");

describe("logger", () => {
  it("writes JSON lines with time, level, message and service", () => {
    const { logger, lines } = capture();
    logger.info("hello", { requestId: "r1" });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: "info",
      message: "hello",
      service: "api",
      requestId: "r1",
    });
    expect(typeof line.time).toBe("string");
  });

  it("redacts secrets and email addresses whatever the caller passes", () => {
    const { logger, lines } = capture();
    logger.warn("login by jane.doe@example.com", {
      password: "hunter2hunter2",
      refreshToken: "q3x0dYQ7bmJc6mO2g9pU",
      nested: { authorization: "Bearer abc.def.ghi", note: "contact bob@example.org" },
      headers: { "idempotency-key": "k-123" },
    });
    const text = lines.join("");
    for (const secret of [
      "jane.doe@example.com",
      "hunter2hunter2",
      "q3x0dYQ7bmJc6mO2g9pU",
      "abc.def.ghi",
      "bob@example.org",
      "k-123",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("[redacted]");
    expect(text).toContain("[email]");
  });
});
