import { describe, expect, it } from "vitest";

import { buildOpenApiDocument, errorCodesOf, listOperations } from "./openapi";

interface Response {
  description: string;
  headers?: Record<string, unknown>;
  content?: unknown;
}

const document = buildOpenApiDocument();
const paths = document.paths as Record<
  string,
  Record<string, { responses: Record<string, Response> }>
>;
const responsesOf = (method: string, path: string) => paths[path]![method]!.responses;
const codesIn = (response: Response | undefined) =>
  response?.description.split(": ")[1]?.split(", ") ?? [];

describe("the statuses each operation declares", () => {
  it("include the per-IP limit's 429 with its headers, and 431, 415 and 426 on every operation", () => {
    for (const op of listOperations()) {
      const responses = responsesOf(op.method, op.path);
      expect(codesIn(responses["429"]), op.operationId).toContain("RATE_LIMITED");
      expect(Object.keys(responses["429"]!.headers ?? {})).toEqual(
        expect.arrayContaining(["Retry-After", "RateLimit-Limit", "RateLimit-Reset"]),
      );
      expect(codesIn(responses["431"])).toEqual(["REQUEST_HEADERS_TOO_LARGE"]);
      expect(codesIn(responses["415"])).toEqual(["UNSUPPORTED_MEDIA_TYPE"]);
      expect(codesIn(responses["426"])).toEqual(["APP_UPGRADE_REQUIRED", "HTTPS_REQUIRED"]);
      for (const [status, response] of Object.entries(responses)) {
        if (!status.startsWith("2"))
          expect(JSON.stringify(response.content)).toContain("ErrorResponse");
      }
    }
    expect(codesIn(responsesOf("post", "/auth/refresh")["429"])).toEqual(["RATE_LIMITED"]);
  });

  it("add 413 and a malformed-body 400 only where a body is read", () => {
    for (const op of listOperations()) {
      const responses = responsesOf(op.method, op.path);
      expect(codesIn(responses["413"]).includes("PAYLOAD_TOO_LARGE")).toBe(op.hasBody);
      expect(codesIn(responses["400"]).includes("BAD_REQUEST")).toBe(op.hasBody);
    }
    expect(responsesOf("get", "/me")["413"]).toBeUndefined();
    expect(codesIn(responsesOf("post", "/imports")["413"])).toEqual(["PAYLOAD_TOO_LARGE"]);
  });

  it("add 403 where requireRole checks a role, and 401 where a bearer is required", () => {
    for (const op of listOperations()) {
      const codes = errorCodesOf(op);
      expect(codes.has("FORBIDDEN"), op.operationId).toBe(op.path.startsWith("/admin/"));
      expect(codes.has("UNAUTHENTICATED"), op.operationId).toBe(op.protect);
    }
    expect(codesIn(responsesOf("get", "/admin/users")["403"])).toEqual(["FORBIDDEN"]);
    expect(responsesOf("get", "/me")["403"]).toBeUndefined();
  });

  it("declare DEAD_LETTER_CONFLICT on the dead-letter retry and discard", () => {
    for (const [method, path] of [
      ["post", "/admin/dead-letters/{deadLetterId}/retry"],
      ["delete", "/admin/dead-letters/{deadLetterId}"],
    ] as const) {
      expect(codesIn(responsesOf(method, path)["409"])).toEqual(["DEAD_LETTER_CONFLICT"]);
    }
  });
});
