/** The subset of OpenAPI 3.0/3.1 the generator reads. Unknown keywords are ignored. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  example?: unknown;
  nullable?: boolean;
  deprecated?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
}

export interface Parameter {
  $ref?: string;
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  deprecated?: boolean;
  description?: string;
  schema?: Schema;
}

export interface MediaType {
  schema?: Schema;
}

export interface RequestBody {
  $ref?: string;
  required?: boolean;
  description?: string;
  content?: Record<string, MediaType>;
}

export interface HeaderObject {
  $ref?: string;
  description?: string;
  required?: boolean;
  schema?: Schema;
}

export interface ResponseObject {
  $ref?: string;
  description?: string;
  content?: Record<string, MediaType>;
  headers?: Record<string, HeaderObject>;
}

export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  /** oasdiff's extension: the date after which a deprecated operation may be removed. */
  "x-sunset"?: string;
  parameters?: Parameter[];
  requestBody?: RequestBody;
  responses?: Record<string, ResponseObject>;
  security?: Record<string, string[]>[];
}

export const HTTP_METHODS = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace",
] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type PathItem = Partial<Record<HttpMethod, Operation>> & { parameters?: Parameter[] };

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  servers?: { url: string }[];
  paths: Record<string, PathItem>;
  security?: Record<string, string[]>[];
  components?: {
    schemas?: Record<string, Schema>;
    parameters?: Record<string, Parameter>;
    requestBodies?: Record<string, RequestBody>;
    responses?: Record<string, ResponseObject>;
    headers?: Record<string, HeaderObject>;
  };
}

/** Parses and sanity-checks a document; everything past these fields is read defensively. */
export function parseDocument(text: string): OpenApiDocument {
  const doc = JSON.parse(text) as Partial<OpenApiDocument> | null;
  if (doc === null || typeof doc !== "object" || typeof doc.openapi !== "string") {
    throw new Error("not an OpenAPI document: missing the `openapi` version field");
  }
  if (!doc.openapi.startsWith("3.")) {
    throw new Error(`OpenAPI ${doc.openapi} is not supported; 3.0 and 3.1 are`);
  }
  if (doc.info === undefined || doc.paths === undefined) {
    throw new Error("not an OpenAPI document: missing `info` or `paths`");
  }
  return doc as OpenApiDocument;
}

const COMPONENT_REF = /^#\/components\/(schemas|parameters|requestBodies|responses|headers)\/(.+)$/;

function decodePointer(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** The component name a `$ref` points at, e.g. `#/components/schemas/User` -> `User`. */
export function refName(ref: string): { kind: string; name: string } {
  const match = COMPONENT_REF.exec(ref);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new Error(`unsupported $ref ${ref}: only local #/components/... references are`);
  }
  return { kind: match[1], name: decodePointer(match[2]) };
}

function lookup<T>(table: Record<string, T> | undefined, ref: string, kind: string): T {
  const target = refName(ref);
  const found = target.kind === kind ? table?.[target.name] : undefined;
  if (found === undefined) throw new Error(`unresolved $ref ${ref}`);
  return found;
}

/** Follows `$ref` chains of parameters, bodies and responses (schemas keep their names). */
export function deref<T extends { $ref?: string }>(
  doc: OpenApiDocument,
  value: T,
  kind: "parameters" | "requestBodies" | "responses" | "headers",
): T {
  let current = value;
  for (let depth = 0; current.$ref !== undefined; depth++) {
    if (depth > 32) throw new Error(`$ref cycle at ${current.$ref}`);
    current = lookup(doc.components?.[kind] as Record<string, T> | undefined, current.$ref, kind);
  }
  return current;
}

export function schemaByRef(doc: OpenApiDocument, ref: string): Schema {
  return lookup(doc.components?.schemas, ref, "schemas");
}

/** The JSON media type of a content map (`application/json`, with or without parameters, or `+json`). */
export function jsonMedia(content: Record<string, MediaType> | undefined): MediaType | undefined {
  if (content === undefined) return undefined;
  const key = Object.keys(content)
    .sort()
    .find((type) => /^application\/([\w.-]+\+)?json(\s*;.*)?$/i.test(type));
  return key === undefined ? undefined : content[key];
}

/**
 * Splits "maybe null" from a schema: `type: [X, "null"]` (3.1), `nullable: true` (3.0),
 * `anyOf`/`oneOf` with a `{type: "null"}` branch, a null in `enum`, and a one-member `allOf`.
 */
export function unwrapNullable(schema: Schema): { schema: Schema; nullable: boolean } {
  let nullable = schema.nullable === true;
  let current: Schema = { ...schema };
  delete current.nullable;

  if (Array.isArray(current.type)) {
    const types = current.type.filter((type) => type !== "null");
    if (types.length !== current.type.length) nullable = true;
    if (types.length === 0) {
      const { type: _dropped, ...rest } = current;
      current = rest;
    } else if (types.length === 1) current = { ...current, type: types[0] };
    else current = { ...current, type: types };
  } else if (current.type === "null") {
    const { type: _dropped, ...rest } = current;
    return { schema: rest, nullable: true };
  }

  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = current[key];
    if (branches === undefined) continue;
    const isNull = (branch: Schema) =>
      branch.type === "null" ||
      (Array.isArray(branch.type) && branch.type.every((t) => t === "null"));
    const rest = branches.filter((branch) => !isNull(branch));
    if (rest.length !== branches.length) nullable = true;
    if (rest.length === 1 && rest[0] !== undefined) {
      const { [key]: _dropped, ...outer } = current;
      const inner = unwrapNullable(rest[0]);
      // The branch carries the type; the outer schema may carry description and default.
      current = { ...inner.schema, ...outer };
      nullable ||= inner.nullable;
    } else {
      current = { ...current, [key]: rest };
    }
  }

  if (current.enum?.includes(null)) {
    nullable = true;
    current = { ...current, enum: current.enum.filter((value) => value !== null) };
  }

  if (current.allOf?.length === 1 && current.allOf[0] !== undefined) {
    const { allOf: _dropped, ...outer } = current;
    const inner = unwrapNullable(current.allOf[0]);
    current = { ...inner.schema, ...outer };
    nullable ||= inner.nullable;
  }
  return { schema: current, nullable };
}
