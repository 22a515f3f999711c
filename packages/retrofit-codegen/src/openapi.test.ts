import { describe, expect, it } from "vitest";

import { jsonMedia, parseDocument, refName, unwrapNullable } from "./openapi";

describe("unwrapNullable", () => {
  it("reads every way OpenAPI 3.0 and 3.1 say null is allowed", () => {
    expect(unwrapNullable({ type: ["string", "null"] })).toEqual({
      schema: { type: "string" },
      nullable: true,
    });
    expect(unwrapNullable({ type: "integer", nullable: true })).toEqual({
      schema: { type: "integer" },
      nullable: true,
    });
    expect(
      unwrapNullable({ anyOf: [{ $ref: "#/components/schemas/A" }, { type: "null" }] }),
    ).toEqual({
      schema: { $ref: "#/components/schemas/A" },
      nullable: true,
    });
    expect(
      unwrapNullable({ oneOf: [{ type: "null" }, { type: "number" }], description: "d" }),
    ).toEqual({
      schema: { type: "number", description: "d" },
      nullable: true,
    });
    expect(unwrapNullable({ enum: ["a", null] })).toEqual({
      schema: { enum: ["a"] },
      nullable: true,
    });
    expect(
      unwrapNullable({ allOf: [{ $ref: "#/components/schemas/A" }], description: "d" }),
    ).toEqual({
      schema: { $ref: "#/components/schemas/A", description: "d" },
      nullable: false,
    });
  });

  it("leaves a non-null schema and a real union alone", () => {
    expect(unwrapNullable({ type: "string" })).toEqual({
      schema: { type: "string" },
      nullable: false,
    });
    const union = { anyOf: [{ type: "string" }, { type: "integer" }] };
    expect(unwrapNullable(union)).toEqual({ schema: union, nullable: false });
  });
});

describe("document helpers", () => {
  it("refuses what is not an OpenAPI 3 document", () => {
    expect(() => parseDocument('{"swagger":"2.0"}')).toThrow(/openapi/);
    expect(() => parseDocument('{"openapi":"2.0","info":{},"paths":{}}')).toThrow(/not supported/);
    expect(
      parseDocument('{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}').openapi,
    ).toBe("3.0.3");
  });

  it("decodes component references and refuses remote ones", () => {
    expect(refName("#/components/schemas/a~1b~0c")).toEqual({ kind: "schemas", name: "a/b~c" });
    expect(() => refName("https://example.com/schema.json#/X")).toThrow(/only local/);
  });

  it("finds the JSON media type with parameters or a +json suffix", () => {
    const schema = { type: "string" };
    expect(jsonMedia({ "application/json; charset=utf-8": { schema } })?.schema).toBe(schema);
    expect(jsonMedia({ "application/problem+json": { schema } })?.schema).toBe(schema);
    expect(jsonMedia({ "text/plain": { schema } })).toBeUndefined();
  });
});
