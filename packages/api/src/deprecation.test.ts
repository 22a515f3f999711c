import { describe, expect, it } from "vitest";

import { deprecationHeaders } from "./deprecation";
import { buildOpenApiDocument, listOperations } from "./openapi";

interface Operation {
  deprecated?: boolean;
  "x-sunset"?: string;
  parameters?: { $ref?: string }[];
  responses: Record<string, { description: string; headers?: Record<string, unknown> }>;
}

describe("deprecation headers", () => {
  it("formats Deprecation as an RFC 9745 date and Sunset as an RFC 8594 HTTP-date", () => {
    const headers = deprecationHeaders(
      { since: "2026-12-01", sunset: "2027-06-30", replacement: "GET /me" },
      "/docs/#/me/getAccount",
    );
    expect(Object.fromEntries(headers)).toEqual({
      Deprecation: "@1796083200",
      Sunset: "Wed, 30 Jun 2027 00:00:00 GMT",
      Link: '</docs/#/me/getAccount>; rel="deprecation"; type="text/html"',
    });
  });

  it("refuses dates that are not real YYYY-MM-DD days, or a sunset before the deprecation", () => {
    const at = (since: string, sunset: string) => () =>
      deprecationHeaders({ since, sunset, replacement: "x" }, "/docs");
    expect(at("2026-02-30", "2027-01-01")).toThrow(/since/);
    expect(at("2026-12-01", "30 June 2027")).toThrow(/sunset/);
    expect(at("2026-12-01", "2026-11-30")).toThrow(/after/);
  });
});

describe("the OpenAPI document for apps in the field", () => {
  const document = buildOpenApiDocument();
  const operationAt = (path: string, method: string) =>
    (document.paths as Record<string, Record<string, Operation>>)[path]![method]!;

  it("marks deprecated operations with their sunset and the headers on every response", () => {
    const deprecated = listOperations().filter((op) => op.deprecation);
    expect(deprecated.map((op) => op.operationId)).toEqual(["getAccount"]);
    const operation = operationAt("/account", "get");
    expect(operation).toMatchObject({ deprecated: true, "x-sunset": "2027-06-30" });
    for (const response of Object.values(operation.responses)) {
      expect(Object.keys(response.headers ?? {})).toEqual(
        expect.arrayContaining(["Deprecation", "Sunset", "Link"]),
      );
    }
    expect(operationAt("/me", "get").deprecated).toBeUndefined();
  });

  it("documents X-App-Version and 426 APP_UPGRADE_REQUIRED on every operation", () => {
    for (const op of listOperations()) {
      const operation = operationAt(op.path, op.method);
      expect(operation.parameters).toContainEqual({
        $ref: "#/components/parameters/XAppVersion",
      });
      expect(operation.responses["426"]?.description).toContain("APP_UPGRADE_REQUIRED");
    }
  });
});
