import { describe, expect, it } from "vitest";

import type { Schema } from "./openapi";
import { generated, withPath } from "./test-helpers";

const circle: Schema = {
  type: "object",
  required: ["kind", "radius"],
  properties: { kind: { type: "string", const: "circle" }, radius: { type: "number" } },
};
const square: Schema = {
  type: "object",
  required: ["kind", "side"],
  properties: { kind: { type: "string", enum: ["square"] }, side: { type: "number" } },
};

function docWith(shape: Schema) {
  return withPath(
    "/shapes",
    {
      post: {
        operationId: "createShape",
        tags: ["shapes"],
        requestBody: { required: true, content: { "application/json": { schema: shape } } },
        responses: { "204": { description: "ok" } },
      },
    },
    { Circle: circle, Square: square },
  );
}

describe("generate: unions", () => {
  it("turns a oneOf with a discriminator mapping into a sealed interface its variants implement", () => {
    const { file, warnings } = generated(
      docWith({
        oneOf: [{ $ref: "#/components/schemas/Circle" }, { $ref: "#/components/schemas/Square" }],
        discriminator: {
          propertyName: "kind",
          mapping: { circle: "#/components/schemas/Circle", square: "#/components/schemas/Square" },
        },
      }),
    );
    expect(warnings).toEqual([]);
    const union = file("CreateShapeRequest");
    expect(union).toContain("@Serializable(with = CreateShapeRequest.Serializer::class)");
    expect(union).toContain("sealed interface CreateShapeRequest {");
    expect(union).toContain(
      '            when (((element as? JsonObject)?.get("kind") as? JsonPrimitive)?.contentOrNull) {',
    );
    expect(union).toContain('                "circle" -> Circle.serializer()');
    expect(union).toContain('                "square" -> Square.serializer()');
    // A variant added later decodes to a fallback with its JSON, which cannot be sent.
    expect(union).toContain("    data class Unknown(val json: JsonObject) : CreateShapeRequest");
    expect(union).toContain("                else -> UnknownSerializer");
    expect(union).toContain(
      'throw SerializationException("CreateShapeRequest.Unknown stands for a value this client does not know; it cannot be sent")',
    );
    expect(file("Circle")).toContain(") : CreateShapeRequest\n");
    expect(file("ShapesApi")).toContain("@Body body: CreateShapeRequest,");
  });

  it("reads the variant values from const or one-value enums, as zod discriminated unions emit them", () => {
    const inline = { ...circle, properties: { ...circle.properties } };
    const { file, warnings } = generated(
      docWith({
        anyOf: [inline, { $ref: "#/components/schemas/Square" }, { type: "null" }],
        discriminator: { propertyName: "kind" },
      }),
    );
    expect(warnings).toEqual([]);
    const union = file("CreateShapeRequest");
    expect(union).toContain('"circle" -> CreateShapeRequestCircle.serializer()');
    expect(union).toContain('"square" -> Square.serializer()');
    expect(file("CreateShapeRequestCircle")).toContain("data class CreateShapeRequestCircle(");
    expect(file("Square")).toContain(") : CreateShapeRequest\n");
  });

  it("names the fallback clear of a variant called Unknown", () => {
    const doc = docWith({
      oneOf: [{ $ref: "#/components/schemas/Unknown" }, { $ref: "#/components/schemas/Square" }],
      discriminator: { propertyName: "kind" },
    });
    doc.components = {
      ...doc.components,
      schemas: {
        ...doc.components?.schemas,
        Unknown: { ...circle, properties: { ...circle.properties, kind: { const: "unknown" } } },
      },
    };
    const union = generated(doc).file("CreateShapeRequest");
    expect(union).toContain('                "unknown" -> Unknown.serializer()');
    expect(union).toContain("    data class Unknown2(val json: JsonObject) : CreateShapeRequest");
    expect(union).toContain("                else -> Unknown2Serializer");
  });

  it("warns and falls back to JsonElement for a union without a discriminator", () => {
    const { file, warnings } = generated(
      docWith({
        type: "object",
        required: ["shape"],
        properties: { shape: { oneOf: [{ type: "string" }, { type: "integer" }] } },
      }),
    );
    expect(warnings).toEqual([
      "CreateShapeRequestShape: oneOf without a discriminator (2 branches) cannot be told apart; typed as JsonElement",
    ]);
    expect(file("CreateShapeRequest")).toContain("val shape: JsonElement,");
  });

  it("warns when a branch has no value for the discriminator or two branches share one", () => {
    const noValue = generated(
      docWith({
        oneOf: [{ $ref: "#/components/schemas/Circle" }, { type: "object", properties: { x: {} } }],
        discriminator: { propertyName: "kind" },
      }),
    );
    expect(noValue.warnings).toEqual([
      'CreateShapeRequest: oneOf branch #1 has no fixed "kind" value; typed as JsonElement',
    ]);
    const twice = generated(
      docWith({
        oneOf: [{ $ref: "#/components/schemas/Circle" }, { $ref: "#/components/schemas/Circle" }],
        discriminator: { propertyName: "kind" },
      }),
    );
    expect(twice.warnings[0]).toContain('two branches with "kind" = "circle"');
    expect(twice.file("ShapesApi")).toContain("@Body body: JsonElement,");
  });
});
