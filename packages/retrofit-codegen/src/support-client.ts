import type { ApiDef, ResponseHeaderDef } from "./operations";
import { kdoc, kotlinFile, stringLiteral } from "./kotlin";
import { camelName, escapeIdentifier, NameAllocator } from "./names";
import { schemaNotes } from "./schema-notes";

/** The annotation on public operations, read from Retrofit's `Invocation` tag. */
export function publicOperationSupport(pkg: string): string {
  return kotlinFile(
    pkg,
    ["okhttp3.Request", "retrofit2.Invocation"],
    [
      "/**",
      " * Marks an operation the API serves without a bearer token (sign-in, refresh, ...). It lives on",
      " * the interface method only: an interceptor reads it from the request's Retrofit [Invocation] tag",
      " * ([isPublicOperation]), and nothing about it is sent, whichever OkHttpClient the app uses.",
      " */",
      "@Target(AnnotationTarget.FUNCTION)",
      "@Retention(AnnotationRetention.RUNTIME)",
      "@MustBeDocumented",
      "annotation class PublicOperation",
      "",
      "/** True when Retrofit built this request from a method marked [PublicOperation]. */",
      "fun Request.isPublicOperation(): Boolean =",
      "    tag(Invocation::class.java)?.method()?.isAnnotationPresent(PublicOperation::class.java) == true",
    ],
  );
}

interface HeaderProperty {
  wire: string;
  name: string;
  kotlinType: string;
  parse: string;
  docs: string[];
}

function headerProperty(
  wire: string,
  name: string,
  uses: ResponseHeaderDef[],
  where: Map<string, string[]>,
  operationCount: number,
): HeaderProperty {
  const first = uses[0];
  const type = first?.schema.type;
  const [kotlinType, parse] =
    type === "integer"
      ? ["Long", "?.trim()?.toLongOrNull()"]
      : type === "boolean"
        ? ["Boolean", "?.trim()?.lowercase()?.toBooleanStrictOrNull()"]
        : type === "number"
          ? ["Double", "?.trim()?.toDoubleOrNull()"]
          : ["String", ""];
  const statuses = [...where.keys()].sort();
  const declaring = [...new Set([...where.values()].flat())].sort();
  const by = declaring.length === operationCount ? "every operation" : declaring.join(", ");
  const declared = `${statuses.join(", ")} responses of ${by}`;
  const notes = first === undefined ? [] : schemaNotes(first.schema);
  return {
    wire,
    name,
    kotlinType,
    parse,
    docs: [
      `\`${wire}\`${first?.description !== undefined ? `: ${first.description}` : "."}`,
      ...notes,
      `Declared on ${declared}. Null when absent${kotlinType === "String" ? "" : " or unreadable"}.`,
    ],
  };
}

/**
 * Typed access to every response header the document declares: `response.apiHeaders.retryAfter`
 * instead of `response.headers()["Retry-After"]?.toLongOrNull()`.
 */
export function responseHeadersSupport(pkg: string, apis: ApiDef[]): string | undefined {
  const operations = apis.flatMap((api) => api.operations);
  const byHeader = new Map<string, { wire: string; uses: ResponseHeaderDef[] }>();
  const where = new Map<string, Map<string, string[]>>();
  for (const operation of operations) {
    for (const header of operation.responseHeaders) {
      const key = header.name.toLowerCase();
      const entry = byHeader.get(key) ?? { wire: header.name, uses: [] };
      entry.uses.push(header);
      byHeader.set(key, entry);
      const statuses = where.get(key) ?? new Map<string, string[]>();
      const names = statuses.get(header.status) ?? [];
      const name = operation.name.replaceAll("`", "");
      if (!names.includes(name)) names.push(name);
      statuses.set(header.status, names);
      where.set(key, statuses);
    }
  }
  if (byHeader.size === 0) return undefined;
  const names = new NameAllocator(["headers"]);
  const properties = [...byHeader.keys()].sort().map((key) => {
    const entry = byHeader.get(key) ?? { wire: key, uses: [] };
    const camel = camelName(entry.wire);
    const name = escapeIdentifier(names.allocate(camel.charAt(0).toLowerCase() + camel.slice(1)));
    return headerProperty(
      entry.wire,
      name,
      entry.uses,
      where.get(key) ?? new Map<string, string[]>(),
      operations.length,
    );
  });
  const body = [
    "/**",
    " * The response headers the API documents, typed; get them with [apiHeaders]. Each property reads",
    " * the raw header on access; [headers] has the rest.",
    " */",
    "class ResponseHeaders(val headers: Headers) {",
  ];
  properties.forEach((property, index) => {
    if (index > 0) body.push("");
    body.push(
      ...kdoc([property.docs.join(" ")], "    "),
      `    val ${property.name}: ${property.kotlinType}?`,
      `        get() = headers[${stringLiteral(property.wire)}]${property.parse}`,
    );
  });
  body.push(
    "}",
    "",
    "/** This response's documented headers, typed. */",
    "val Response<*>.apiHeaders: ResponseHeaders",
    "    get() = ResponseHeaders(headers())",
  );
  return kotlinFile(pkg, ["okhttp3.Headers", "retrofit2.Response"], body);
}

/** `RunwayApi.create(baseUrl, okHttpClient)`: every interface over one Retrofit. */
export function factorySupport(
  pkg: string,
  factoryName: string,
  apis: ApiDef[],
  serverPath: string | undefined,
): string {
  const names = new NameAllocator(["retrofit", "create"]);
  const members = [...apis]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((api) => ({ api: api.name, name: escapeIdentifier(names.allocate(camelName(api.tag))) }));
  const suffix = `${(serverPath ?? "").replace(/\/+$/, "")}/`;
  const first = members[0];
  const operation = apis.find((api) => api.name === first?.api)?.operations[0]?.name;
  const example =
    first === undefined || operation === undefined
      ? "api.retrofit"
      : `api.${first.name}.${operation.replaceAll("`", "")}(...)`;
  return kotlinFile(
    pkg,
    [
      ...apis.map((api) => `${pkg}.api.${api.name}`),
      "kotlinx.serialization.json.Json",
      "okhttp3.MediaType.Companion.toMediaType",
      "okhttp3.OkHttpClient",
      "retrofit2.Retrofit",
      "retrofit2.converter.kotlinx.serialization.asConverterFactory",
    ],
    [
      "/**",
      " * Every generated interface over one Retrofit, built the way the models need it ([ApiJson] for",
      " * bodies, [WireEnumConverterFactory] for enum parameters). The whole client in three lines:",
      " *",
      " * ```",
      " * val okHttp = OkHttpClient.Builder().addInterceptor(bearer).authenticator(refresh).build()",
      ` * val api = ${factoryName}.create("https://api.example.com${suffix}", okHttp)`,
      ` * val response = ${example}`,
      " * ```",
      " */",
      `class ${factoryName}(val retrofit: Retrofit) {`,
      ...members.flatMap((member) => [
        `    val ${member.name}: ${member.api} = retrofit.create(${member.api}::class.java)`,
      ]),
      "",
      "    companion object {",
      "        /**",
      `         * @param baseUrl ends with \`${suffix}\` (e.g. \`https://api.example.com${suffix}\`): the`,
      "         * interfaces use paths relative to it.",
      "         * @param client the app's OkHttpClient with its interceptors and authenticator.",
      "         * @param json the Json for bodies; keep [ApiJson] unless you know why not.",
      "         */",
      "        fun create(baseUrl: String, client: OkHttpClient, json: Json = ApiJson): " +
        `${factoryName} {`,
      `            require(baseUrl.endsWith(${stringLiteral(suffix)})) { ${stringLiteral(`baseUrl must end with ${suffix} (got `)} + baseUrl + ")" }`,
      `            return ${factoryName}(`,
      "                Retrofit.Builder()",
      "                    .baseUrl(baseUrl)",
      "                    .client(client)",
      '                    .addConverterFactory(json.asConverterFactory("application/json".toMediaType()))',
      "                    .addConverterFactory(WireEnumConverterFactory)",
      "                    .build(),",
      "            )",
      "        }",
      "    }",
      "}",
    ],
  );
}
