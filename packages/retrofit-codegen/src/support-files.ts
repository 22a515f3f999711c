import type { ApiDef } from "./operations";
import { kotlinFile } from "./kotlin";
import { factorySupport, publicOperationSupport, responseHeadersSupport } from "./support-client";

/** Names the support files declare in the root package; models must not take them. */
export const SUPPORT_TYPE_NAMES = [
  "ApiJson",
  "ApiResult",
  "FallbackEnumSerializer",
  "PublicOperation",
  "ResponseHeaders",
  "WireEnum",
  "WireEnumConverterFactory",
];

function enumSupport(pkg: string): string {
  return kotlinFile(
    pkg,
    [
      "kotlinx.serialization.KSerializer",
      "kotlinx.serialization.SerializationException",
      "kotlinx.serialization.descriptors.PrimitiveKind",
      "kotlinx.serialization.descriptors.PrimitiveSerialDescriptor",
      "kotlinx.serialization.descriptors.SerialDescriptor",
      "kotlinx.serialization.encoding.Decoder",
      "kotlinx.serialization.encoding.Encoder",
      "java.lang.reflect.Type",
      "retrofit2.Converter",
      "retrofit2.Retrofit",
    ],
    [
      "/** An enum the API sends as a string; [wireValue] is that string. */",
      "interface WireEnum {",
      "    val wireValue: String",
      "}",
      "",
      "/**",
      " * Decodes a value this client does not know (added to the API after the client was generated)",
      " * to [fallback] instead of failing the whole response, so an installed app keeps working while",
      " * the contract grows. Sending [fallback] is refused: it stands for no particular value.",
      " */",
      "abstract class FallbackEnumSerializer<E>(",
      "    serialName: String,",
      "    values: List<E>,",
      "    private val fallback: E,",
      ") : KSerializer<E> where E : Enum<E>, E : WireEnum {",
      "    override val descriptor: SerialDescriptor =",
      "        PrimitiveSerialDescriptor(serialName, PrimitiveKind.STRING)",
      "",
      "    private val byWireValue: Map<String, E> =",
      "        values.filter { it != fallback }.associateBy { it.wireValue }",
      "",
      "    override fun deserialize(decoder: Decoder): E =",
      "        byWireValue[decoder.decodeString()] ?: fallback",
      "",
      "    override fun serialize(encoder: Encoder, value: E) {",
      "        if (value == fallback) {",
      '            throw SerializationException("${descriptor.serialName}.${value.name} cannot be sent")',
      "        }",
      "        encoder.encodeString(value.wireValue)",
      "    }",
      "}",
      "",
      "/**",
      " * Puts a [WireEnum] in a `@Query`, `@Path` or `@Header` as its wire value, and refuses an enum's",
      " * fallback entry (its wire value is empty) with an [IllegalArgumentException] instead of sending",
      " * an empty string. Add it to the Retrofit builder: `.addConverterFactory(WireEnumConverterFactory)`.",
      " * Without it Retrofit uses `toString()`, which is the wire value, the fallback's included.",
      " */",
      "object WireEnumConverterFactory : Converter.Factory() {",
      "    override fun stringConverter(",
      "        type: Type,",
      "        annotations: Array<out Annotation>,",
      "        retrofit: Retrofit,",
      "    ): Converter<*, String>? {",
      "        if (type !is Class<*> || !WireEnum::class.java.isAssignableFrom(type)) return null",
      "        return Converter<WireEnum, String> { value ->",
      "            require(value.wireValue.isNotEmpty()) {",
      '                "${type.simpleName}.${(value as Enum<*>).name} stands for a value this client does not know; it cannot be sent"',
      "            }",
      "            value.wireValue",
      "        }",
      "    }",
      "}",
    ],
  );
}

function jsonSupport(pkg: string): string {
  return kotlinFile(
    pkg,
    ["kotlinx.serialization.json.Json"],
    [
      "/**",
      " * The Json the generated models are written for; build the Retrofit converter from it.",
      " *",
      " * - Unknown fields are ignored: the API adds fields without a new version.",
      " * - Optional fields left at their default (null) are not sent (`encodeDefaults` is off).",
      " * - Required nullable fields are sent as an explicit `null` (`explicitNulls` stays on).",
      " */",
      "val ApiJson: Json = Json {",
      "    ignoreUnknownKeys = true",
      "}",
    ],
  );
}

function errorSupport(pkg: string, envelope: string): string {
  return kotlinFile(
    pkg,
    [
      `${pkg}.model.${envelope}`,
      "java.io.IOException",
      "java.util.WeakHashMap",
      "retrofit2.Response",
    ],
    [
      "/**",
      ` * The [${envelope}] of a failed response, or null for a success, an empty body or a body that`,
      " * is not the envelope (a proxy's HTML error page, say). The error body is read and parsed on the",
      " * first call and the result kept with the response, so every later call returns the same value.",
      " * (Reading `errorBody()` yourself first leaves nothing to parse.)",
      " */",
      `fun Response<*>.apiError(): ${envelope}? {`,
      "    if (isSuccessful) return null",
      "    // Retrofit has already buffered the error body: no network I/O under the lock.",
      "    synchronized(parsedErrors) {",
      "        parsedErrors[this]?.let { return it.value }",
      "        val parsed = ParsedError(errorBody()?.use { parseApiError(it.string()) })",
      "        parsedErrors[this] = parsed",
      "        return parsed.value",
      "    }",
      "}",
      "",
      `private class ParsedError(val value: ${envelope}?)`,
      "",
      "/** Keyed by the response itself (identity), and gone once the app drops the response. */",
      "private val parsedErrors = WeakHashMap<Response<*>, ParsedError>()",
      "",
      `/** Parses an error body as [${envelope}]; null when it is not one. */`,
      `fun parseApiError(body: String): ${envelope}? =`,
      "    try {",
      `        ApiJson.decodeFromString(${envelope}.serializer(), body)`,
      "    } catch (e: IllegalArgumentException) {",
      "        // SerializationException is an IllegalArgumentException.",
      "        null",
      "    }",
      "",
      "/** A call's outcome as one value, from [apiResult]. */",
      "sealed interface ApiResult<out T> {",
      "    /**",
      "     * A 2xx. [value] is the body; for an operation without one (204, `Response<Unit>`) it is",
      "     * [Unit].",
      "     */",
      "    data class Success<out T>(val value: T, val response: Response<out T>) : ApiResult<T>",
      "",
      "    /** A non-2xx; [error] is the parsed envelope, null when the body was not one. */",
      `    data class ApiError(val error: ${envelope}?, val response: Response<*>) : ApiResult<Nothing>`,
      "",
      "    /**",
      "     * No usable answer: offline, a timeout, a reset, or an [IOException] an interceptor threw",
      "     * (the app-upgrade refusal is one).",
      "     */",
      "    data class NetworkError(val cause: IOException) : ApiResult<Nothing>",
      "}",
      "",
      "/**",
      " * Runs one generated call and folds every outcome into an [ApiResult]:",
      " * `when (val result = apiResult { api.auth.login(body) }) { is ApiResult.Success -> ... }`.",
      " */",
      "suspend fun <T> apiResult(call: suspend () -> Response<T>): ApiResult<T> {",
      "    val response =",
      "        try {",
      "            call()",
      "        } catch (e: IOException) {",
      "            return ApiResult.NetworkError(e)",
      "        }",
      "    if (!response.isSuccessful) return ApiResult.ApiError(response.apiError(), response)",
      "    // Retrofit gives a null body for 204 and 205, which the generated methods type as Unit.",
      '    @Suppress("UNCHECKED_CAST")',
      "    val value = (response.body() ?: Unit) as T",
      "    return ApiResult.Success(value, response)",
      "}",
    ],
  );
}

export interface SupportInput {
  rootPackage: string;
  envelope: string | undefined;
  apis: ApiDef[];
  factoryName: string;
  serverPath: string | undefined;
}

export function emitSupport(input: SupportInput): { path: string; content: string }[] {
  const { rootPackage, envelope, apis, factoryName, serverPath } = input;
  const dir = rootPackage.replaceAll(".", "/");
  const files = [
    { path: `${dir}/ApiJson.kt`, content: jsonSupport(rootPackage) },
    { path: `${dir}/WireEnum.kt`, content: enumSupport(rootPackage) },
    { path: `${dir}/PublicOperation.kt`, content: publicOperationSupport(rootPackage) },
    {
      path: `${dir}/${factoryName}.kt`,
      content: factorySupport(rootPackage, factoryName, apis, serverPath),
    },
  ];
  const headers = responseHeadersSupport(rootPackage, apis);
  if (headers !== undefined) files.push({ path: `${dir}/ResponseHeaders.kt`, content: headers });
  if (envelope !== undefined) {
    files.push({ path: `${dir}/ApiErrors.kt`, content: errorSupport(rootPackage, envelope) });
  }
  return files;
}
