import type { Diagnostics } from "./diagnostics";
import type {
  HttpMethod,
  OpenApiDocument,
  Operation,
  Parameter,
  ResponseObject,
  Schema,
} from "./openapi";
import type { ModelRegistry, TypeRef } from "./types";
import { GeneratorError } from "./diagnostics";
import { camelName, escapeIdentifier, NameAllocator, pascalName } from "./names";
import { deref, HTTP_METHODS, jsonMedia, refName } from "./openapi";
import { schemaNotes } from "./schema-notes";

export interface ParameterDef {
  location: "path" | "query" | "header";
  wireName: string;
  name: string;
  type: TypeRef;
  /** Required parameters are non-null Kotlin parameters; the rest default to null. */
  required: boolean;
  docs: string;
}

export interface OperationDef {
  method: HttpMethod;
  /** Relative to a base URL that ends with the server path and a slash. */
  path: string;
  name: string;
  summary?: string;
  description?: string;
  deprecated: boolean;
  /** For a deprecated operation: when it may be removed (`x-sunset`), if the document says. */
  sunset?: string;
  secured: boolean;
  parameters: ParameterDef[];
  body?: { name: string; type: TypeRef; docs: string };
  /** Undefined for operations whose success response has no body (`Response<Unit>`). */
  returns?: TypeRef;
  successStatus: string;
  errors: { status: string; description: string; envelope?: string }[];
  /** Response headers the document declares, per status. */
  responseHeaders: ResponseHeaderDef[];
}

export interface ResponseHeaderDef {
  status: string;
  name: string;
  schema: Schema;
  description?: string;
}

export interface ApiDef {
  name: string;
  tag: string;
  description?: string;
  operations: OperationDef[];
}

const PATH_PARAMETER = /\{([^}]*)\}/g;
const RETROFIT_PATH_NAME = /^[a-zA-Z][a-zA-Z0-9_-]*$/;

/** Operation-level parameters override path-level ones with the same name and location. */
function parametersOf(doc: OpenApiDocument, shared: Parameter[], own: Parameter[]): Parameter[] {
  const merged = new Map<string, Parameter>();
  for (const raw of [...shared, ...own]) {
    const parameter = deref(doc, raw, "parameters");
    merged.set(`${parameter.in}:${parameter.name.toLowerCase()}`, parameter);
  }
  return [...merged.values()];
}

function fallbackOperationName(method: HttpMethod, path: string): string {
  const parts = path
    .split("/")
    .filter((part) => part !== "")
    .map((part) => (part.startsWith("{") ? `By ${part.slice(1, -1)}` : part));
  return camelName([method, ...parts].join(" "));
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function operationDocs(parameter: Parameter): string {
  const schema: Schema = parameter.schema ?? {};
  const notes = schemaNotes(schema).filter((note) => !note.startsWith("Example"));
  if (schema.default !== undefined)
    notes.push(`Server default: \`${JSON.stringify(schema.default)}\`.`);
  return [parameter.description ?? schema.description, ...notes]
    .filter((text) => text !== undefined)
    .join(" ");
}

/** Reads every operation, grouped by its first tag (untagged ones go to `DefaultApi`). */
export function collectApis(
  doc: OpenApiDocument,
  models: ModelRegistry,
  apiNames: Map<string, string>,
  diagnostics: Diagnostics,
): { apis: ApiDef[]; errorEnvelope?: string } {
  const byTag = new Map<string, OperationDef[]>();
  const methodNames = new Map<string, NameAllocator>();
  const envelopeVotes = new Map<string, number>();

  const entries: { path: string; method: HttpMethod; operation: Operation; shared: Parameter[] }[] =
    [];
  for (const path of Object.keys(doc.paths).sort()) {
    const item = doc.paths[path] ?? {};
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation !== undefined)
        entries.push({ path, method, operation, shared: item.parameters ?? [] });
    }
  }

  for (const { path, method, operation, shared } of entries) {
    const tag = operationTag(operation);
    const allocator = methodNames.get(tag) ?? new NameAllocator();
    methodNames.set(tag, allocator);
    const baseName = lowerFirst(
      camelName(operation.operationId ?? fallbackOperationName(method, path)),
    );
    const name = allocator.allocate(baseName);
    const typeHint = pascalName(name);
    const where = `${method.toUpperCase()} ${path} (${name})`;

    const parameterNames = new NameAllocator();
    const parameters: ParameterDef[] = [];
    for (const parameter of parametersOf(doc, shared, operation.parameters ?? [])) {
      if (parameter.in === "cookie") {
        // Retrofit has no cookie parameter; a required one would make the method uncallable.
        if (parameter.required === true) {
          throw new GeneratorError(
            where,
            `required cookie parameter "${parameter.name}" is not supported`,
          );
        }
        diagnostics.warn(where, `cookie parameter "${parameter.name}" is not supported; left out`);
        continue;
      }
      if (parameter.in === "path" && !RETROFIT_PATH_NAME.test(parameter.name)) {
        throw new Error(
          `${method.toUpperCase()} ${path}: path parameter "${parameter.name}" is not a valid Retrofit name`,
        );
      }
      const resolved = models.resolve(
        parameter.schema ?? {},
        `${typeHint}${pascalName(parameter.name)}`,
      );
      parameters.push({
        location: parameter.in,
        wireName: parameter.name,
        name: escapeIdentifier(parameterNames.allocate(camelName(parameter.name))),
        type: resolved.type,
        required: parameter.in === "path" || parameter.required === true,
        docs: operationDocs(parameter),
      });
    }
    const declared = new Set(
      parameters.filter((p) => p.location === "path").map((p) => p.wireName),
    );
    for (const match of path.matchAll(PATH_PARAMETER)) {
      if (!declared.has(match[1] ?? "")) {
        throw new Error(
          `${method.toUpperCase()} ${path}: {${match[1] ?? ""}} has no path parameter`,
        );
      }
    }

    const definition: OperationDef = {
      method,
      path: path.replace(/^\/+/, "") || ".",
      name: escapeIdentifier(name),
      deprecated: operation.deprecated === true,
      ...(operation.deprecated === true && operation["x-sunset"] !== undefined
        ? { sunset: operation["x-sunset"] }
        : {}),
      secured: (operation.security ?? doc.security ?? []).some(
        (requirement) => Object.keys(requirement).length > 0,
      ),
      parameters: orderParameters(parameters),
      successStatus: "200",
      errors: [],
      responseHeaders: [],
    };
    if (operation.summary !== undefined) definition.summary = operation.summary;
    if (operation.description !== undefined) definition.description = operation.description;

    if (operation.requestBody !== undefined) {
      const body = deref(doc, operation.requestBody, "requestBodies");
      const schema = jsonMedia(body.content)?.schema;
      const types = Object.keys(body.content ?? {}).sort();
      if (schema === undefined && types.length > 0) {
        const shown = types.join(", ");
        if (body.required === true) {
          throw new GeneratorError(where, `request body ${shown} is not supported (JSON only)`);
        }
        diagnostics.warn(where, `optional request body ${shown} is not supported; left out`);
      }
      if (schema !== undefined) {
        const resolved = models.resolve(schema, `${typeHint}Request`);
        definition.body = {
          name: parameterNames.allocate("body"),
          type: resolved.type,
          docs: body.description ?? resolved.schema.description ?? "",
        };
      }
    }

    const statuses = Object.keys(operation.responses ?? {}).sort();
    const success =
      statuses.find((status) => /^2\d\d$/.test(status)) ?? statuses.find((s) => s === "2XX");
    if (success !== undefined) {
      definition.successStatus = success;
      const response = deref(doc, operation.responses?.[success] ?? {}, "responses");
      const schema = method === "head" ? undefined : jsonMedia(response.content)?.schema;
      if (schema !== undefined)
        definition.returns = models.resolve(schema, `${typeHint}Response`).type;
      else if (method !== "head" && Object.keys(response.content ?? {}).length > 0) {
        const shown = Object.keys(response.content ?? {})
          .sort()
          .join(", ");
        diagnostics.warn(where, `${success} body ${shown} is not JSON; typed as Response<Unit>`);
      }
    }
    for (const status of statuses) {
      const response = deref(doc, operation.responses?.[status] ?? {}, "responses");
      definition.responseHeaders.push(...responseHeaders(doc, status, response));
      if (status.startsWith("2")) continue;
      const ref = jsonMedia(response.content)?.schema?.$ref;
      const error: OperationDef["errors"][number] = {
        status,
        description: response.description ?? "",
      };
      if (ref !== undefined) {
        error.envelope = refName(ref).name;
        envelopeVotes.set(error.envelope, (envelopeVotes.get(error.envelope) ?? 0) + 1);
      }
      definition.errors.push(error);
    }

    const list = byTag.get(tag) ?? [];
    list.push(definition);
    byTag.set(tag, list);
  }

  const tagDescriptions = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description]));
  const apis = [...byTag.keys()].sort().map((tag): ApiDef => {
    const api: ApiDef = {
      name: apiNames.get(tag) ?? `${pascalName(tag)}Api`,
      tag,
      operations: (byTag.get(tag) ?? []).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      ),
    };
    const description = tagDescriptions.get(tag);
    if (description !== undefined) api.description = description;
    return api;
  });

  // The error envelope is the schema most error responses share.
  const envelope = [...envelopeVotes].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0];
  return envelope === undefined ? { apis } : { apis, errorEnvelope: envelope };
}

function responseHeaders(
  doc: OpenApiDocument,
  status: string,
  response: ResponseObject,
): ResponseHeaderDef[] {
  return Object.entries(response.headers ?? {}).map(([name, raw]) => {
    const header = deref(doc, raw, "headers");
    const def: ResponseHeaderDef = { status, name, schema: header.schema ?? {} };
    const description = header.description ?? header.schema?.description;
    if (description !== undefined) def.description = description;
    return def;
  });
}

/** An operation belongs to its first tag's interface. */
export function operationTag(operation: Operation): string {
  return operation.tags?.[0] ?? "default";
}

/** Every tag that gets an interface, sorted. */
export function operationTags(doc: OpenApiDocument): string[] {
  const tags = new Set<string>();
  for (const item of Object.values(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation !== undefined) tags.add(operationTag(operation));
    }
  }
  return [...tags].sort();
}

/** Path parameters, then required query and header parameters, then the optional ones. */
function orderParameters(parameters: ParameterDef[]): ParameterDef[] {
  const rank = (p: ParameterDef) => (p.location === "path" ? 0 : p.required ? 1 : 2);
  return parameters
    .map((parameter, index) => ({ parameter, index }))
    .sort((a, b) => rank(a.parameter) - rank(b.parameter) || a.index - b.index)
    .map(({ parameter }) => parameter);
}
