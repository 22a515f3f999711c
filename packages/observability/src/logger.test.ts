import { describe, expect, it } from "vitest";

import { createCapturingLogger } from "./logger";

const capture = () => createCapturingLogger("api");

/** The captured lines as one text, once it is checked to hold none of `secrets`. */
function textWithout(lines: string[], secrets: string[]): string {
  const text = lines.join("");
  expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
  return text;
}

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
    const text = textWithout(lines, [
      "jane.doe@example.com",
      "hunter2hunter2",
      "q3x0dYQ7bmJc6mO2g9pU",
      "abc.def.ghi",
      "bob@example.org",
      "k-123",
    ]);
    expect(text).toContain("[redacted]");
    expect(text).toContain("[email]");
  });

  it("redacts phone numbers, bearer credentials and JWTs inside free text", () => {
    const { logger, lines } = capture();
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl";
    logger.error("upstream said: Authorization: Bearer sk_live_51HxYz", {
      error: new Error(`bad contact +82 10-1234-5678 and (555) 123-4567, token ${jwt}`),
      note: "call 010.9876.5432 or +1 415 555 0100",
    });
    const text = textWithout(lines, [
      "sk_live_51HxYz",
      "10-1234-5678",
      "123-4567",
      "9876.5432",
      "555 0100",
      jwt,
    ]);
    expect(text).toContain("[phone]");
    expect(text).toContain("[jwt]");
  });

  it("keeps request ids, user ids and small numbers intact", () => {
    const { logger, lines } = capture();
    const requestId = "123e4567-e89b-12d3-a456-426614174000";
    logger.info("request", { requestId, userId: requestId, route: "/v1/imports/{importId}" });
    logger.info("imported 1234 rows in 56 ms");
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ requestId, userId: requestId, route: "/v1/imports/{importId}" });
    expect(lines[1]).toContain("imported 1234 rows in 56 ms");
  });

  it("does not trust a checked field that carries something else", () => {
    const { logger, lines } = capture();
    logger.info("odd", { requestId: "mail me at jane@example.com" });
    expect(lines[0]).not.toContain("jane@example.com");
  });

  it("redacts query parameters, URL credentials, email and phone fields, and deep values", () => {
    const { logger, lines } = capture();
    const failed = new Error(
      'Failed query: insert into "users" ("email_hash") values ($1)\nparams: 9f86d081884c7d65,Jane Kim',
    );
    let deep: Record<string, unknown> = { password: "hunter2hunter2" };
    for (let i = 0; i < 10; i++) deep = { nested: deep };
    logger.error("request failed", {
      error: failed,
      url: "postgres://runway:S3cretPw@db:5432/runway",
      email: "jane.kim",
      phone: "5550100",
      deep,
    });
    const secrets = ["9f86d081884c7d65", "Jane Kim", "S3cretPw", "jane.kim", "5550100", "hunter2"];
    const text = textWithout(lines, secrets);
    expect(text).toContain("Failed query");
    expect(text).toContain("[truncated]");
  });
});
