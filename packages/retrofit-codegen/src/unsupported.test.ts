import { describe, expect, it } from "vitest";

import type { OpenApiDocument } from "./openapi";
import { GeneratorError } from "./diagnostics";
import { fixtureDocument } from "./fixture";
import { generated, withPath } from "./test-helpers";

/** The document generates with this one warning, and the operation is still declared. */
function expectLeftOut(doc: OpenApiDocument, warning: string, api: string, declaration: string) {
  const { file, warnings } = generated(doc);
  expect(warnings).toEqual([warning]);
  expect(file(api)).toContain(declaration);
}

describe("generate: what it cannot express is loud", () => {
  it("has no warnings for a document it fully supports", () => {
    expect(generated().warnings).toEqual([]);
  });

  it("warns about an optional cookie parameter and leaves it out, but refuses a required one", () => {
    // Retrofit cannot send cookies: without a required one the method could not be called correctly.
    const session = (required: boolean) =>
      withPath("/session", {
        get: {
          operationId: "getSession",
          tags: ["session"],
          parameters: [{ name: "sid", in: "cookie", required, schema: { type: "string" } }],
          responses: { "204": { description: "ok" } },
        },
      });
    expectLeftOut(
      session(false),
      'GET /session (getSession): cookie parameter "sid" is not supported; left out',
      "SessionApi",
      "    suspend fun getSession(): Response<Unit>",
    );
    expect(() => generated(session(true))).toThrow(GeneratorError);
    expect(() => generated(session(true))).toThrow(
      /required cookie parameter "sid" is not supported/,
    );
  });

  it("refuses a required non-JSON body and warns about an optional one", () => {
    const upload = (required: boolean) =>
      withPath("/avatar", {
        put: {
          operationId: "putAvatar",
          requestBody: { required, content: { "image/png": {}, "multipart/form-data": {} } },
          responses: { "204": { description: "ok" } },
        },
      });
    expect(() => generated(upload(true))).toThrow(
      "PUT /avatar (putAvatar): request body image/png, multipart/form-data is not supported (JSON only)",
    );
    expectLeftOut(
      upload(false),
      "PUT /avatar (putAvatar): optional request body image/png, multipart/form-data is not supported; left out",
      "DefaultApi",
      "    suspend fun putAvatar(): Response<Unit>",
    );
  });

  it("warns when a success body is not JSON", () => {
    const doc = withPath("/export", {
      get: {
        operationId: "exportCsv",
        responses: { "200": { description: "csv", content: { "text/csv": {} } } },
      },
    });
    expect(generated(doc).warnings).toEqual([
      "GET /export (exportCsv): 200 body text/csv is not JSON; typed as Response<Unit>",
    ]);
  });

  it("lists each warning once, sorted, however often the construct appears", () => {
    const doc = fixtureDocument();
    const union = { oneOf: [{ type: "string" }, { type: "integer" }] };
    doc.components = {
      ...doc.components,
      schemas: {
        ...doc.components?.schemas,
        Pair: { type: "object", properties: { b: union, a: union } },
      },
    };
    expect(generated(doc).warnings).toEqual([
      "PairA: oneOf without a discriminator (2 branches) cannot be told apart; typed as JsonElement",
      "PairB: oneOf without a discriminator (2 branches) cannot be told apart; typed as JsonElement",
    ]);
  });
});
