import type { DataClassDef, EnumDef, ModelDef, PropertyDef } from "./types";
import { sealedFile } from "./emit-sealed";
import { DEPRECATED, kdoc, kotlinFile, stringLiteral } from "./kotlin";
import { renderType, typeImports } from "./types";

function propertyLines(property: PropertyDef): string[] {
  const type = renderType(property.type);
  let declaration: string;
  if (property.required) {
    // Required: no default, so a missing field fails decoding instead of turning into null.
    declaration = `val ${property.name}: ${type}${property.nullable ? "?" : ""}`;
  } else if (property.defaultValue !== undefined) {
    const nullable = property.nullable || property.defaultValue === "null";
    declaration = `val ${property.name}: ${type}${nullable ? "?" : ""} = ${property.defaultValue}`;
  } else {
    // Optional: absent decodes to null, and null is not sent (encodeDefaults is off).
    declaration = `val ${property.name}: ${type}? = null`;
  }
  return [
    ...kdoc([property.docs.join(" ")], "    "),
    ...(property.deprecated ? [`    ${DEPRECATED}`] : []),
    `    @SerialName(${stringLiteral(property.jsonName)})`,
    `    ${declaration},`,
  ];
}

function dataClassFile(
  model: DataClassDef,
  pkg: string,
  modelPackage: string,
  parents: string[],
): string {
  const imports = ["kotlinx.serialization.Serializable"];
  const head = [
    ...kdoc(model.docs, ""),
    ...(model.deprecated ? [DEPRECATED] : []),
    "@Serializable",
  ];
  const supertypes = parents.length > 0 ? ` : ${parents.join(", ")}` : "";
  if (model.properties.length === 0) {
    return kotlinFile(pkg, imports, [...head, `data object ${model.name}${supertypes}`]);
  }
  imports.push("kotlinx.serialization.SerialName");
  const body = [...head, `data class ${model.name}(`];
  model.properties.forEach((property, index) => {
    if (index > 0) body.push("");
    body.push(...propertyLines(property));
    imports.push(...typeImports(property.type, modelPackage));
  });
  body.push(`)${supertypes}`);
  return kotlinFile(pkg, imports, body);
}

function enumFile(model: EnumDef, pkg: string, rootPackage: string): string {
  const docs = [
    ...model.docs,
    "",
    `A value this client does not know yet decodes to [${model.fallback}] instead of failing the response.`,
  ];
  const body = [
    ...kdoc(docs, ""),
    ...(model.deprecated ? [DEPRECATED] : []),
    `@Serializable(with = ${model.name}.Serializer::class)`,
    `enum class ${model.name}(override val wireValue: String) : WireEnum {`,
    ...model.constants.map((constant) => `    ${constant.name}(${stringLiteral(constant.wire)}),`),
    "",
    "    /**",
    "     * A value added to the API after this client was generated. It cannot be sent: serializing",
    `     * it fails, and [${rootPackage}.WireEnumConverterFactory] refuses it as a @Query, @Path or`,
    "     * @Header value.",
    "     */",
    `    ${model.fallback}(""),`,
    "    ;",
    "",
    "    /** The wire value, which is what Retrofit puts in a @Query or @Path. */",
    "    override fun toString(): String = wireValue",
    "",
    `    object Serializer : FallbackEnumSerializer<${model.name}>(`,
    `        ${stringLiteral(`${pkg}.${model.name}`)},`,
    `        ${model.name}.entries,`,
    `        ${model.name}.${model.fallback},`,
    "    )",
    "}",
  ];
  return kotlinFile(
    pkg,
    [
      `${rootPackage}.FallbackEnumSerializer`,
      `${rootPackage}.WireEnum`,
      "kotlinx.serialization.Serializable",
    ],
    body,
  );
}

/** One file per model, keyed by its path relative to the source root. */
export function emitModels(
  models: Iterable<ModelDef>,
  rootPackage: string,
  parents = new Map<string, string[]>(),
): { path: string; content: string }[] {
  const pkg = `${rootPackage}.model`;
  const dir = pkg.replaceAll(".", "/");
  return [...models].map((model) => ({
    path: `${dir}/${model.name}.kt`,
    content:
      model.kind === "enum"
        ? enumFile(model, pkg, rootPackage)
        : model.kind === "sealed"
          ? sealedFile(model, pkg)
          : dataClassFile(model, pkg, pkg, [...new Set(parents.get(model.name) ?? [])].sort()),
  }));
}
