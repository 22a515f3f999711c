import { describe, expect, it } from "vitest";

import { fixtureDocument } from "./fixture";
import { generated } from "./test-helpers";

function docWithHeaders() {
  const doc = fixtureDocument();
  doc.components = {
    ...doc.components,
    headers: {
      RetryAfter: { description: "Seconds to wait.", schema: { type: "integer", minimum: 0 } },
    },
  };
  const create = doc.paths["/widgets"]?.post;
  const get = doc.paths["/widgets/{widgetId}"]?.get;
  if (create?.responses === undefined || get?.responses === undefined)
    throw new Error("fixture changed");
  create.responses["202"] = {
    ...create.responses["202"],
    headers: {
      "Idempotent-Replayed": { schema: { type: "boolean" }, description: "A replay." },
      "X-Request-ID": { schema: { type: "string" } },
    },
  };
  create.responses["429"] = {
    description: "slow down",
    headers: { "Retry-After": { $ref: "#/components/headers/RetryAfter" } },
  };
  get.responses["200"] = {
    ...get.responses["200"],
    headers: { "x-request-id": { schema: { type: "string" } } },
  };
  return doc;
}

describe("generate: public operations", () => {
  it("declares a runtime annotation and reads it from Retrofit's Invocation tag", () => {
    expect(generated().file("PublicOperation")).not.toContain("Header");
  });
});

describe("generate: typed response headers", () => {
  it("types every declared header once, from its schema, case-insensitively merged", () => {
    const headers = generated(docWithHeaders()).file("ResponseHeaders");
    expect(headers).toContain("class ResponseHeaders(val headers: Headers) {");
    expect(headers).toContain(
      '    val idempotentReplayed: Boolean?\n        get() = headers["Idempotent-Replayed"]?.trim()?.lowercase()?.toBooleanStrictOrNull()',
    );
    expect(headers).toContain(
      '    val retryAfter: Long?\n        get() = headers["Retry-After"]?.trim()?.toLongOrNull()',
    );
    expect(headers).toContain(
      '    val xRequestId: String?\n        get() = headers["X-Request-ID"]\n',
    );
    expect(headers.match(/val xRequestId/g)).toHaveLength(1);
    expect(headers).toContain("val Response<*>.apiHeaders: ResponseHeaders");
  });

  it("says in the KDoc where each header is declared, with its description and constraints", () => {
    const headers = generated(docWithHeaders()).file("ResponseHeaders");
    expect(headers).toContain(
      "`Retry-After`: Seconds to wait. Range: >= 0. Declared on 429 responses of createWidget.",
    );
    expect(headers).toContain("Declared on 200, 202 responses of createWidget, getWidget.");
  });

  it("leaves the class out when the document declares no response header", () => {
    expect(generated().paths.some((path) => path.endsWith("/ResponseHeaders.kt"))).toBe(false);
  });
});

describe("generate: the factory", () => {
  it("requires the server path of the document at the end of the base URL, and takes another name", () => {
    const doc = fixtureDocument();
    doc.servers = [{ url: "https://api.example.com/v2" }];
    const { file, paths } = generated(doc, { factoryName: "WidgetClient" });
    expect(file("WidgetClient")).toContain('require(baseUrl.endsWith("/v2/"))');
    expect(paths.some((path) => path.endsWith("/RunwayApi.kt"))).toBe(false);
  });
});

/** What the support files say, whatever the document: per file, lines it must contain. */
const SUPPORT: Record<string, string[]> = {
  // The public-operation marker, read from Retrofit's Invocation tag.
  PublicOperation: [
    "@Retention(AnnotationRetention.RUNTIME)\n",
    "annotation class PublicOperation\n",
    "    tag(Invocation::class.java)?.method()?.isAnnotationPresent(PublicOperation::class.java) == true",
  ],
  // The factory: every interface over one Retrofit with ApiJson and the enum converter.
  RunwayApi: [
    "class RunwayApi(val retrofit: Retrofit) {",
    "    val admin: AdminApi2 = retrofit.create(AdminApi2::class.java)",
    "    val widgets: WidgetsApi = retrofit.create(WidgetsApi::class.java)",
    "        fun create(baseUrl: String, client: OkHttpClient, json: Json = ApiJson): RunwayApi {",
    '.addConverterFactory(json.asConverterFactory("application/json".toMediaType()))',
    ".addConverterFactory(WireEnumConverterFactory)",
    'require(baseUrl.endsWith("/"))',
  ],
  // Error helpers: the body parsed once and kept with the response; ApiResult for success, API
  // error and network error, and apiResult to fold a call.
  ApiErrors: [
    "private val parsedErrors = WeakHashMap<Response<*>, ParsedError>()",
    "        parsedErrors[this]?.let { return it.value }",
    "        parsedErrors[this] = parsed",
    "sealed interface ApiResult<out T> {",
    "    data class ApiError(val error: Problem?, val response: Response<*>) : ApiResult<Nothing>",
    "    data class NetworkError(val cause: IOException) : ApiResult<Nothing>",
    "suspend fun <T> apiResult(call: suspend () -> Response<T>): ApiResult<T> {",
  ],
};

describe("generate: support files", () => {
  it.each(
    Object.entries(SUPPORT).flatMap(([name, lines]) => lines.map((line) => [name, line] as const)),
  )("%s.kt has %j", (name, line) => {
    expect(generated().file(name)).toContain(line);
  });
});
