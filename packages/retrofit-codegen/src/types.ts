import type { Diagnostics } from "./diagnostics";
import type { OpenApiDocument, Schema } from "./openapi";
import { constType, enumConstants, integerType, primitiveLiteral } from "./literals";
import {
  camelName,
  escapeIdentifier,
  NameAllocator,
  pascalName,
  RESERVED_TYPE_NAMES,
} from "./names";
import { refName, schemaByRef, unwrapNullable } from "./openapi";
import { isStringEnum, schemaNotes } from "./schema-notes";
import { readDiscriminatedUnion, unionBranches } from "./unions";

export type Primitive = "String" | "Int" | "Long" | "Double" | "Float" | "Boolean" | "Instant";

/** How `format: date-time` strings are typed: `kotlin.time.Instant` or plain `String`. */
export type DateTimeMode = "instant" | "string";

/** A Kotlin type, before nullability (which belongs to the use site). */
export type TypeRef =
  | { kind: "primitive"; name: Primitive }
  | { kind: "model"; name: string }
  | { kind: "json"; name: "JsonElement" | "JsonObject" }
  | { kind: "list"; item: TypeRef; itemNullable: boolean }
  | { kind: "map"; value: TypeRef; valueNullable: boolean };

export interface Resolved {
  type: TypeRef;
  nullable: boolean;
  /** The schema after nullability and aliases were unwrapped, for docs and defaults. */
  schema: Schema;
}

export interface PropertyDef {
  jsonName: string;
  name: string;
  type: TypeRef;
  nullable: boolean;
  required: boolean;
  /** A Kotlin expression, present when the property is optional and the schema has a default. */
  defaultValue?: string;
  docs: string[];
  deprecated: boolean;
}

export interface DataClassDef {
  kind: "data";
  name: string;
  docs: string[];
  properties: PropertyDef[];
  deprecated: boolean;
}

export interface EnumDef {
  kind: "enum";
  name: string;
  docs: string[];
  constants: { name: string; wire: string }[];
  fallback: string;
  deprecated: boolean;
}

/** A discriminated union: a sealed interface whose variants are data classes. */
export interface SealedDef {
  kind: "sealed";
  name: string;
  docs: string[];
  discriminator: string;
  variants: { wire: string; model: string }[];
  deprecated: boolean;
}

export type ModelDef = DataClassDef | EnumDef | SealedDef;

export function renderType(type: TypeRef): string {
  switch (type.kind) {
    case "primitive":
    case "model":
    case "json":
      return type.name;
    case "list":
      return `List<${renderType(type.item)}${type.itemNullable ? "?" : ""}>`;
    case "map":
      return `Map<String, ${renderType(type.value)}${type.valueNullable ? "?" : ""}>`;
  }
}

/** Fully qualified names a type needs imported (models are imported from `modelPackage`). */
export function typeImports(type: TypeRef, modelPackage: string): string[] {
  switch (type.kind) {
    case "primitive":
      return type.name === "Instant" ? ["kotlin.time.Instant"] : [];
    case "model":
      return [`${modelPackage}.${type.name}`];
    case "json":
      return [`kotlinx.serialization.json.${type.name}`];
    case "list":
      return typeImports(type.item, modelPackage);
    case "map":
      return typeImports(type.value, modelPackage);
  }
}

function isObjectWithProperties(schema: Schema): boolean {
  return (
    (schema.type === "object" || schema.type === undefined) &&
    schema.properties !== undefined &&
    Object.keys(schema.properties).length > 0
  );
}

/**
 * Turns schemas into Kotlin types, collecting every named model (component schemas first, then
 * inline objects and enums named after where they appear).
 */
export class ModelRegistry {
  readonly models = new Map<string, ModelDef>();
  /** The sealed interfaces each data class implements, by data class name. */
  readonly parents = new Map<string, string[]>();
  private readonly componentTypes = new Map<string, string>();
  private readonly aliasStack = new Set<string>();

  constructor(
    private readonly doc: OpenApiDocument,
    private readonly names: NameAllocator,
    private readonly diagnostics: Diagnostics,
    private readonly dateTime: DateTimeMode = "instant",
  ) {
    const components = doc.components?.schemas ?? {};
    for (const name of Object.keys(components).sort()) {
      const schema = unwrapNullable(components[name] ?? {}).schema;
      if (this.isModelShape(schema)) {
        this.componentTypes.set(name, this.allocateTypeName(name));
      }
    }
  }

  /** The Kotlin name of a component schema that became a model. */
  componentType(name: string): string | undefined {
    return this.componentTypes.get(name);
  }

  /**
   * Builds the component models. Separate from the constructor so that callers can claim names
   * (API interfaces) before inline models take theirs.
   */
  defineComponents(): void {
    const components = this.doc.components?.schemas ?? {};
    // Enums first, so a default that names an enum constant finds it.
    const ordered = [...this.componentTypes].sort(
      ([a], [b]) =>
        Number(!this.isEnumComponent(a)) - Number(!this.isEnumComponent(b)) || (a < b ? -1 : 1),
    );
    for (const [name, kotlinName] of ordered) {
      this.define(kotlinName, unwrapNullable(components[name] ?? {}).schema);
    }
  }

  private isEnumComponent(name: string): boolean {
    return isStringEnum(unwrapNullable(this.doc.components?.schemas?.[name] ?? {}).schema);
  }

  allocateTypeName(wanted: string): string {
    const base = pascalName(wanted);
    return this.names.allocate(RESERVED_TYPE_NAMES.has(base) ? `${base}Model` : base);
  }

  /** The Kotlin type of a schema; `hint` names an inline object or enum found inside it. */
  resolve(schema: Schema, hint: string): Resolved {
    const { schema: s, nullable } = unwrapNullable(schema);

    if (s.$ref !== undefined) {
      const { name } = refName(s.$ref);
      const kotlinName = this.componentTypes.get(name);
      if (kotlinName !== undefined) {
        return { type: { kind: "model", name: kotlinName }, nullable, schema: s };
      }
      // A component that is only an alias (a string, an array, a union) has no class of its own.
      if (this.aliasStack.has(name))
        return { type: { kind: "json", name: "JsonElement" }, nullable, schema: s };
      this.aliasStack.add(name);
      try {
        const { $ref: _ref, ...siblings } = s;
        const target = this.resolve(schemaByRef(this.doc, s.$ref), hint);
        return {
          type: target.type,
          nullable: nullable || target.nullable,
          schema: { ...target.schema, ...siblings },
        };
      } finally {
        this.aliasStack.delete(name);
      }
    }

    if (this.isModelShape(s)) {
      const name = this.allocateTypeName(hint);
      this.define(name, s);
      return { type: { kind: "model", name }, nullable, schema: s };
    }
    return { type: this.structural(s, hint), nullable, schema: s };
  }

  /** Schemas that become a named class: enums, objects, merged allOf, discriminated unions. */
  private isModelShape(s: Schema): boolean {
    if (unionBranches(s) !== undefined) return this.union(s) !== undefined;
    return isStringEnum(s) || isObjectWithProperties(s) || (s.allOf?.length ?? 0) > 1;
  }

  private union(s: Schema) {
    const union = readDiscriminatedUnion(this.doc, s);
    return "unsupported" in union ? undefined : union;
  }

  private structural(s: Schema, hint: string): TypeRef {
    if (unionBranches(s) !== undefined) {
      const union = readDiscriminatedUnion(this.doc, s);
      if ("unsupported" in union) this.diagnostics.warn(hint, union.unsupported);
      return { kind: "json", name: "JsonElement" };
    }
    const type = s.type ?? constType(s.const) ?? (s.items !== undefined ? "array" : undefined);
    switch (type) {
      case "string":
        if (s.format === "date-time" && this.dateTime === "instant")
          return { kind: "primitive", name: "Instant" };
        return { kind: "primitive", name: "String" };
      case "boolean":
        return { kind: "primitive", name: "Boolean" };
      case "integer":
        return { kind: "primitive", name: integerType(s) };
      case "number":
        return { kind: "primitive", name: s.format === "float" ? "Float" : "Double" };
      case "array": {
        const item = this.resolve(s.items ?? {}, `${hint}Item`);
        return { kind: "list", item: item.type, itemNullable: item.nullable };
      }
      case "object": {
        if (typeof s.additionalProperties === "object") {
          const value = this.resolve(s.additionalProperties, `${hint}Value`);
          return { kind: "map", value: value.type, valueNullable: value.nullable };
        }
        return { kind: "json", name: "JsonObject" };
      }
      default:
        return { kind: "json", name: "JsonElement" };
    }
  }

  private define(name: string, schema: Schema): void {
    const docs = [schema.title, schema.description].filter((text) => text !== undefined);
    const deprecated = schema.deprecated === true;
    if (isStringEnum(schema)) {
      this.models.set(name, {
        kind: "enum",
        name,
        docs,
        deprecated,
        ...enumConstants(schema.enum as string[]),
      });
      return;
    }
    const union = unionBranches(schema) !== undefined ? this.union(schema) : undefined;
    if (union !== undefined) {
      const sealed: SealedDef = {
        kind: "sealed",
        name,
        docs,
        deprecated,
        discriminator: union.propertyName,
        variants: [],
      };
      this.models.set(name, sealed);
      for (const variant of union.variants) {
        const resolved = this.resolve(variant.branch, `${name}${pascalName(variant.wire)}`);
        if (resolved.type.kind !== "model" || resolved.nullable) {
          throw new Error(`${name}: union branch "${variant.wire}" is not an object`);
        }
        sealed.variants.push({ wire: variant.wire, model: resolved.type.name });
        this.parents.set(resolved.type.name, [
          ...(this.parents.get(resolved.type.name) ?? []),
          name,
        ]);
      }
      return;
    }
    const merged = this.mergeAllOf(schema);
    const required = new Set(merged.required ?? []);
    const propertyNames = new NameAllocator();
    // Registered before the properties resolve, so a self-reference finds it.
    const def: DataClassDef = { kind: "data", name, docs, deprecated, properties: [] };
    this.models.set(name, def);
    for (const [jsonName, propertySchema] of Object.entries(merged.properties ?? {})) {
      const resolved = this.resolve(propertySchema, `${name}${pascalName(jsonName)}`);
      const property: PropertyDef = {
        jsonName,
        name: escapeIdentifier(propertyNames.allocate(camelName(jsonName))),
        type: resolved.type,
        nullable: resolved.nullable,
        required: required.has(jsonName),
        docs: [resolved.schema.description, ...schemaNotes(resolved.schema)].filter(
          (text) => text !== undefined,
        ),
        deprecated: resolved.schema.deprecated === true,
      };
      if (!property.required && resolved.schema.default !== undefined) {
        const literal = this.defaultLiteral(resolved.schema.default, resolved.type);
        if (literal !== undefined) property.defaultValue = literal;
      }
      def.properties.push(property);
    }
  }

  /** `allOf` members merged into one object: properties and required lists are unioned. */
  private mergeAllOf(schema: Schema): Schema {
    if (schema.allOf === undefined) return schema;
    const merged: Schema = {
      ...schema,
      properties: { ...schema.properties },
      required: [...(schema.required ?? [])],
    };
    for (const member of schema.allOf) {
      const part = this.mergeAllOf(
        member.$ref !== undefined ? schemaByRef(this.doc, member.$ref) : member,
      );
      Object.assign(merged.properties ?? {}, part.properties);
      merged.required?.push(...(part.required ?? []));
    }
    return merged;
  }

  /** A Kotlin expression for a schema default, or undefined when it has no faithful literal. */
  defaultLiteral(value: unknown, type: TypeRef): string | undefined {
    if (value === null) return "null";
    switch (type.kind) {
      case "primitive":
        return primitiveLiteral(value, type.name);
      case "model": {
        const model = this.models.get(type.name);
        if (model?.kind !== "enum") return undefined;
        const constant = model.constants.find((entry) => entry.wire === value);
        return constant === undefined ? undefined : `${model.name}.${constant.name}`;
      }
      case "list": {
        if (!Array.isArray(value)) return undefined;
        if (value.length === 0) return "emptyList()";
        const items = value.map((item: unknown) => this.defaultLiteral(item, type.item));
        return items.every((item) => item !== undefined)
          ? `listOf(${items.join(", ")})`
          : undefined;
      }
      case "map":
        return typeof value === "object" && Object.keys(value).length === 0
          ? "emptyMap()"
          : undefined;
      case "json":
        return undefined;
    }
  }
}
