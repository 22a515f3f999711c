import type { ApiDef, OperationDef, ParameterDef } from "./operations";
import { kdoc, kotlinFile, stringLiteral } from "./kotlin";
import { renderType, typeImports } from "./types";

const ANNOTATION: Record<ParameterDef["location"], string> = {
  path: "Path",
  query: "Query",
  header: "Header",
};

const BODYLESS_VERBS = new Set(["get", "delete", "head", "options"]);

/**
 * Marks an operation whose OpenAPI `security` asks for no bearer token (login, refresh, ...).
 * A Retrofit-native marker: an annotation on the method, which an interceptor reads from the
 * request's `Invocation` tag. Nothing about it goes over the wire, whatever client sends it.
 */
export const PUBLIC_OPERATION_ANNOTATION = "PublicOperation";

function httpAnnotation(operation: OperationDef): { line: string; imports: string[] } {
  const path = stringLiteral(operation.path);
  const verb = operation.method.toUpperCase();
  // Retrofit's @GET/@DELETE/... refuse a body and has no @TRACE; @HTTP covers both cases.
  if (
    operation.method === "trace" ||
    (operation.body !== undefined && BODYLESS_VERBS.has(operation.method))
  ) {
    const hasBody = operation.body !== undefined ? ", hasBody = true" : "";
    return {
      line: `@HTTP(method = ${stringLiteral(verb)}, path = ${path}${hasBody})`,
      imports: ["retrofit2.http.HTTP"],
    };
  }
  return { line: `@${verb}(${path})`, imports: [`retrofit2.http.${verb}`] };
}

function operationDocs(operation: OperationDef, envelope: string | undefined): string[] {
  const paragraphs: string[] = [];
  if (operation.summary !== undefined) paragraphs.push(operation.summary, "");
  if (operation.description !== undefined) paragraphs.push(operation.description, "");
  const auth = operation.secured
    ? " Requires `Authorization: Bearer <accessToken>`."
    : " Public: sent without a bearer token.";
  const success = operation.returns === undefined ? "no body" : "a body";
  paragraphs.push(
    `\`${operation.method.toUpperCase()} ${operation.path}\`: ${operation.successStatus} with ${success} on success.${auth}`,
  );
  if (operation.errors.length > 0) {
    const via =
      envelope !== undefined ? ` (body: [${envelope}], read it with \`response.apiError()\`)` : "";
    paragraphs.push("", `Errors${via}:`);
    for (const error of operation.errors)
      paragraphs.push(`- ${error.status}: ${error.description}`);
  }
  const params = [
    ...operation.parameters.map((parameter) => ({ name: parameter.name, docs: parameter.docs })),
    ...(operation.body !== undefined
      ? [{ name: operation.body.name, docs: operation.body.docs }]
      : []),
  ].filter((parameter) => parameter.docs !== "");
  if (params.length > 0) {
    paragraphs.push("");
    for (const parameter of params)
      paragraphs.push(`@param ${parameter.name.replaceAll("`", "")} ${parameter.docs}`);
  }
  return kdoc([paragraphs.join("\n")], "    ");
}

function parameterLine(parameter: ParameterDef): string {
  const annotation = `@${ANNOTATION[parameter.location]}(${stringLiteral(parameter.wireName)})`;
  const type = renderType(parameter.type);
  const declaration = parameter.required
    ? `${parameter.name}: ${type}`
    : `${parameter.name}: ${type}? = null`;
  return `        ${annotation} ${declaration},`;
}

function operationLines(
  operation: OperationDef,
  envelope: string | undefined,
  imports: string[],
  rootPackage: string,
): string[] {
  const http = httpAnnotation(operation);
  imports.push(...http.imports);
  const returns = operation.returns === undefined ? "Unit" : renderType(operation.returns);
  const lines = [...operationDocs(operation, envelope)];
  if (operation.deprecated) {
    const sunset =
      operation.sunset !== undefined ? ` and may be removed after ${operation.sunset}` : "";
    const message = `Deprecated in the API contract${sunset}; the KDoc says what to use instead.`;
    lines.push(`    @Deprecated(${stringLiteral(message)})`);
  }
  lines.push(`    ${http.line}`);
  if (!operation.secured) {
    lines.push(`    @${PUBLIC_OPERATION_ANNOTATION}`);
    imports.push(`${rootPackage}.${PUBLIC_OPERATION_ANNOTATION}`);
  }

  // Path parameters, then the body, then query and header parameters.
  const pathParameters = operation.parameters.filter((p) => p.location === "path");
  const others = operation.parameters.filter((p) => p.location !== "path");
  const parameterLines = pathParameters.map(parameterLine);
  if (operation.body !== undefined) {
    parameterLines.push(
      `        @Body ${operation.body.name}: ${renderType(operation.body.type)},`,
    );
    imports.push("retrofit2.http.Body");
  }
  parameterLines.push(...others.map(parameterLine));
  for (const parameter of operation.parameters) {
    imports.push(`retrofit2.http.${ANNOTATION[parameter.location]}`);
  }

  if (parameterLines.length === 0) {
    lines.push(`    suspend fun ${operation.name}(): Response<${returns}>`);
  } else {
    lines.push(
      `    suspend fun ${operation.name}(`,
      ...parameterLines,
      `    ): Response<${returns}>`,
    );
  }
  return lines;
}

export function emitApis(
  apis: ApiDef[],
  rootPackage: string,
  envelope: string | undefined,
): { path: string; content: string }[] {
  const pkg = `${rootPackage}.api`;
  const modelPackage = `${rootPackage}.model`;
  return apis.map((api) => {
    const imports = ["retrofit2.Response"];
    const envelopeLink = envelope === undefined ? undefined : `${modelPackage}.${envelope}`;
    const body = [
      ...kdoc(
        [
          `Operations tagged \`${api.tag}\`.`,
          ...(api.description !== undefined ? ["", api.description] : []),
        ],
        "",
      ),
      `interface ${api.name} {`,
    ];
    api.operations.forEach((operation, index) => {
      if (index > 0) body.push("");
      body.push(...operationLines(operation, envelopeLink, imports, rootPackage));
      for (const parameter of operation.parameters)
        imports.push(...typeImports(parameter.type, modelPackage));
      if (operation.body !== undefined)
        imports.push(...typeImports(operation.body.type, modelPackage));
      if (operation.returns !== undefined)
        imports.push(...typeImports(operation.returns, modelPackage));
    });
    body.push("}");
    return {
      path: `${pkg.replaceAll(".", "/")}/${api.name}.kt`,
      content: kotlinFile(pkg, imports, body),
    };
  });
}
