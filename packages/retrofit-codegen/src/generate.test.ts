import { describe, expect, it } from "vitest";

import type { OpenApiDocument } from "./openapi";
import { fixtureDocument } from "./fixture";
import { generate } from "./generate";

const options = { packageName: "com.example.client" };

function files(doc: OpenApiDocument = fixtureDocument()): Map<string, string> {
  return new Map(generate(doc, options).map((file) => [file.path, file.content]));
}

function file(name: string, doc?: OpenApiDocument): string {
  const all = files(doc);
  const path = [...all.keys()].find((key) => key.endsWith(`/${name}.kt`));
  if (path === undefined) throw new Error(`no ${name}.kt among ${[...all.keys()].join(", ")}`);
  return all.get(path) ?? "";
}

/** The declaration lines of a file, without KDoc, to match against. */
function code(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*(\/\*\*|\*|\/\/)/.test(line))
    .join("\n");
}

describe("generate: layout and determinism", () => {
  it("writes support, model and api files under the package, sorted by path", () => {
    const paths = generate(fixtureDocument(), options).map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toContain("com/example/client/ApiJson.kt");
    expect(paths).toContain("com/example/client/WireEnum.kt");
    expect(paths).toContain("com/example/client/ApiErrors.kt");
    expect(paths).toContain("com/example/client/api/WidgetsApi.kt");
    expect(paths).toContain("com/example/client/model/Widget.kt");
  });

  it("gives the same bytes for the same input, whatever the key order of the document", () => {
    const doc = fixtureDocument();
    const reordered = JSON.parse(JSON.stringify(doc)) as OpenApiDocument;
    reordered.paths = Object.fromEntries(Object.entries(doc.paths).reverse());
    const schemas = doc.components?.schemas ?? {};
    reordered.components = {
      ...reordered.components,
      schemas: Object.fromEntries(Object.entries(schemas).reverse()),
    };
    expect(generate(reordered, options)).toEqual(generate(doc, options));
    expect(JSON.stringify(generate(doc, options))).toBe(
      JSON.stringify(generate(fixtureDocument(), options)),
    );
  });

  it("refuses a package name that is not a Kotlin package", () => {
    expect(() => generate(fixtureDocument(), { packageName: "Com.Example-Client" })).toThrow(
      /package/,
    );
  });
});

describe("generate: models", () => {
  it.each([
    // Required, nullable and optional exactly: required and nullable has no default; optional
    // is null when absent.
    ["Widget", "    val id: String,"],
    ["Widget", "    val label: String?,"],
    ["Widget", "    val note: String? = null,"],
    ["Widget", "    val priorState: WidgetState? = null,"],
    ["Widget", "    val size: Long,"],
    // Schema defaults for optional fields.
    ["Widget", "    val ratio: Double = 0.5,"],
    ["Widget", "    val enabled: Boolean = true,"],
    ["Widget", "    val mode: WidgetMode = WidgetMode.SLOW_MODE,"],
    // Arrays, maps, free-form values and nested inline objects.
    ["Widget", "    val tags: List<String>,"],
    ["Widget", "    val labels: Map<String, String>? = null,"],
    ["Widget", "    val extra: JsonElement? = null,"],
    ["Widget", "import kotlinx.serialization.json.JsonElement"],
    ["Widget", "    val owner: WidgetOwner,"],
    ["WidgetOwner", '    @SerialName("e-mail")\n    val eMail: String? = null,'],
    ["CreateWidgetRequest", "    val parts: List<CreateWidgetRequestPartsItem>,"],
    // The component `AdminApi` keeps its name; the admin tag's interface takes the next one.
    ["AdminApi2", "interface AdminApi2 {"],
    ["AdminApi2", "    suspend fun getWidget(): Response<GetWidgetResponse>"],
    ["GetWidgetResponse", "    val nextCursor: String?,"],
    // Kotlin keywords are backticked, the JSON name kept.
    ["Widget", '    @SerialName("class")\n    val `class`: String,'],
    // Models that would shadow the Kotlin types the generated code uses are renamed.
    ["StringModel", "data class StringModel("],
    ["Widget", "    val parts: List<StringModel>,"],
    // Enums with a fallback for values added later; the document already uses UNKNOWN, so the
    // fallback takes the next free name.
    ["WidgetState", "@Serializable(with = WidgetState.Serializer::class)"],
    ["WidgetState", '    NEW("new"),\n    UNKNOWN("unknown"),\n    IN_USE("in_use"),'],
    ["WidgetState", '    UNKNOWN2(""),'],
    ["WidgetState", "        WidgetState.UNKNOWN2,"],
    ["WidgetState", "    override fun toString(): String = wireValue"],
    ["WidgetMode", '    FAST("fast"),\n    SLOW_MODE("slow-mode"),\n    _2X("2x"),'],
    // Operations grouped by tag into suspend functions returning Response<T>.
    ["WidgetsApi", "interface WidgetsApi {"],
    ["WidgetsApi", "    suspend fun createWidget("],
    ["WidgetsApi", "    ): Response<Widget>"],
    // Only the operation with `security: []` is marked public.
    ["WidgetsApi", '    @DELETE("widgets/{widgetId}")\n    @PublicOperation\n'],
    ["WidgetsApi", '    @GET("widgets/{widgetId}")\n    suspend fun getWidget('],
    ["WidgetsApi", '    @POST("widgets")\n    suspend fun createWidget('],
    ["WidgetsApi", "import com.example.client.PublicOperation"],
  ])("%s.kt declares %j", (name, declaration) => {
    expect(code(file(name))).toContain(declaration);
  });

  it.each([
    // KDoc from descriptions, comment markers neutralised.
    { name: "Widget", text: "/** A widget. */\n@Serializable\ndata class Widget(" },
    { name: "Widget", text: "    /** A UUID. Format: `uuid`. */\n" },
    { name: "WidgetsApi", text: "A comment closer *&#47; and opener &#47;* stay inside the KDoc." },
    // The security requirement, the success status and the errors of each operation.
    {
      name: "WidgetsApi",
      text: "`GET widgets/{widgetId}`: 200 with a body on success. Requires `Authorization: Bearer <accessToken>`.",
    },
    { name: "WidgetsApi", text: "     * - 404: Not found: NOT_FOUND" },
    { name: "WidgetsApi", text: "     * @param idempotencyKey Reuse it when retrying." },
    {
      name: "WidgetState",
      text: "[com.example.client.WireEnumConverterFactory] refuses it as a @Query",
    },
  ])("$name.kt documents $text", ({ name, text }) => {
    expect(file(name)).toContain(text);
  });

  it("closes each KDoc only at its end", () => {
    const api = file("WidgetsApi");
    expect(api.indexOf("*/")).toBe(api.indexOf("*/\n"));
  });

  it("leaves plain aliases (a string component) without a class", () => {
    expect([...files().keys()].some((path) => path.endsWith("/Email.kt"))).toBe(false);
  });
});

describe("generate: interfaces", () => {
  it.each([
    {
      what: "relative paths with @Path, @Query and @Header parameters",
      lines: [
        '    @GET("widgets/{widgetId}")',
        "    suspend fun getWidget(",
        '        @Path("widgetId") widgetId: String,',
        '        @Query("in") `in`: String? = null,',
        '        @Query("sort") sort: GetWidgetSort? = null,',
        '        @Query("ids") ids: List<Int>? = null,',
        '        @Header("X-Request-ID") xRequestId: String? = null,',
        "    ): Response<Widget>",
      ],
    },
    {
      what: "the body after path parameters, required headers non-null",
      lines: [
        '    @POST("widgets")',
        "    suspend fun createWidget(",
        "        @Body body2: CreateWidgetRequest,",
        '        @Header("Idempotency-Key") idempotencyKey: String,',
        '        @Query("body") body: Boolean? = null,',
        "    ): Response<Widget>",
      ],
    },
  ])("declares $what", ({ lines }) => {
    expect(code(file("WidgetsApi"))).toContain(lines.join("\n"));
  });

  it("marks deprecated operations @Deprecated, with the sunset date when the document has one", () => {
    const doc = fixtureDocument();
    const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
    Object.assign(paths["/widgets/{widgetId}"]!.get!, {
      deprecated: true,
      "x-sunset": "2027-06-30",
    });
    Object.assign(paths["/widgets/{widgetId}"]!.delete!, { deprecated: true });
    const api = code(file("WidgetsApi", doc));
    expect(api).toContain(
      '    @Deprecated("Deprecated in the API contract and may be removed after 2027-06-30; the KDoc says what to use instead.")\n    @GET("widgets/{widgetId}")',
    );
    expect(api).toContain(
      '    @Deprecated("Deprecated in the API contract; the KDoc says what to use instead.")\n    @DELETE(',
    );
    expect(code(file("WidgetsApi")).includes("@Deprecated")).toBe(false);
  });

  it("types operations without a response body as Response<Unit>", () => {
    expect(code(file("WidgetsApi"))).toContain(
      '    @DELETE("widgets/{widgetId}")\n    @PublicOperation\n    suspend fun deleteWidget(\n        @Path("widgetId") widgetId: String,\n    ): Response<Unit>',
    );
  });

  it("marks operations that need no bearer token, and only those", () => {
    const api = code(file("WidgetsApi"));
    expect(api).not.toContain("retrofit2.http.Headers");
    expect(api.match(/@PublicOperation/g)).toHaveLength(1);
  });

  it("reads the document-wide security requirement unless an operation overrides it", () => {
    const doc = fixtureDocument();
    doc.security = [{ bearerAuth: [] }];
    const item = doc.paths["/widgets/{widgetId}"];
    if (item?.get === undefined) throw new Error("fixture changed");
    delete item.get.security; // inherits the bearer requirement
    const api = code(file("WidgetsApi", doc));
    expect(api).toContain('    @GET("widgets/{widgetId}")\n    suspend fun getWidget(');
    // `security: []` on the operation still makes it public.
    expect(api).toContain('    @DELETE("widgets/{widgetId}")\n    @PublicOperation\n');

    delete doc.security;
    expect(code(file("WidgetsApi", doc))).toContain(
      '    @GET("widgets/{widgetId}")\n    @PublicOperation\n',
    );
  });

  it("uses @HTTP for a body on a method Retrofit's shortcuts refuse it on", () => {
    const doc = fixtureDocument();
    const item = doc.paths["/widgets/{widgetId}"];
    if (item?.delete === undefined) throw new Error("fixture changed");
    item.delete.requestBody = {
      content: {
        "application/json": {
          schema: { type: "object", properties: { reason: { type: "string" } } },
        },
      },
    };
    expect(code(file("WidgetsApi", doc))).toContain(
      '    @HTTP(method = "DELETE", path = "widgets/{widgetId}", hasBody = true)',
    );
  });

  it("rejects a path template without a matching path parameter", () => {
    const doc = fixtureDocument();
    doc.paths["/gadgets/{gadgetId}"] = {
      get: { operationId: "getGadget", responses: { "204": { description: "x" } } },
    };
    expect(() => generate(doc, options)).toThrow(/\{gadgetId\} has no path parameter/);
  });
});

describe("generate: enum parameters", () => {
  it("has a Retrofit string converter that refuses an enum's fallback instead of sending an empty string", () => {
    const support = file("WireEnum");
    for (const snippet of [
      "object WireEnumConverterFactory : Converter.Factory() {",
      "    override fun stringConverter(",
      "WireEnum::class.java.isAssignableFrom(type)",
      "            require(value.wireValue.isNotEmpty()) {",
      "            value.wireValue\n",
    ])
      expect(support).toContain(snippet);
    // Each fallback is the entry with the empty wire value that the converter refuses.
    expect(code(file("WidgetState"))).toContain('    UNKNOWN2(""),');
  });

  it("keeps models from taking the converter's name", () => {
    const doc = fixtureDocument();
    doc.components = doc.components ?? {};
    doc.components.schemas = {
      ...doc.components.schemas,
      WireEnumConverterFactory: { type: "object", properties: { x: { type: "string" } } },
    };
    const paths = generate(doc, options).map((f) => f.path);
    expect(paths).toContain("com/example/client/model/WireEnumConverterFactory2.kt");
  });
});

describe("generate: error envelope", () => {
  it("adds apiError() for the schema the error responses share", () => {
    const errors = file("ApiErrors");
    expect(errors).toContain("import com.example.client.model.Problem");
    expect(errors).toContain("fun Response<*>.apiError(): Problem? {");
    expect(errors).toContain("fun parseApiError(body: String): Problem? =");
  });

  it("leaves the helper out when no error response has a schema", () => {
    const doc = fixtureDocument();
    if (doc.components?.responses?.NotFound !== undefined)
      delete doc.components.responses.NotFound.content;
    expect([...files(doc).keys()].some((path) => path.endsWith("/ApiErrors.kt"))).toBe(false);
  });
});
