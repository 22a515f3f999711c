import { describe, expect, it } from "vitest";

import { buildOpenApiDocument, listOperations } from "@runway/api";
import { ErrorResponseSchema } from "@runway/contracts";

import { http, useTestServer } from "../test/harness";

/** The statuses the document adds to every operation, met over real HTTP on each of them. */
const operations = listOperations();
const suite = useTestServer({ RATE_LIMIT_IP_PER_MINUTE: String(operations.length) });
const documented = buildOpenApiDocument().paths as Record<
  string,
  Record<string, { responses: Record<string, unknown> }>
>;
const urlOf = (path: string) =>
  `/v1${path.replace(/\{[^}]+\}/g, "0b0f3c4e-8d1a-4f5e-9c2b-7a6d5e4f3a2b")}`;

describe("statuses every operation documents", () => {
  it("415 for a Content-Encoding, then 429 once the per-IP budget is spent, on every operation", async () => {
    for (const op of operations) {
      const res = await http(suite.base, op.method.toUpperCase(), urlOf(op.path), {
        headers: { "content-encoding": "gzip" },
      });
      expect(res.status, op.operationId).toBe(415);
      expect(documented[op.path]![op.method]!.responses).toHaveProperty("415");
    }
    for (const op of operations) {
      const res = await http(suite.base, op.method.toUpperCase(), urlOf(op.path));
      expect(res.status, op.operationId).toBe(429);
      expect(ErrorResponseSchema.parse(res.body).code).toBe("RATE_LIMITED");
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(documented[op.path]![op.method]!.responses).toHaveProperty("429");
    }
  });
});
