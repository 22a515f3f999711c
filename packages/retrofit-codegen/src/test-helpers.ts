import type { GenerateOptions } from "./generate";
import type { OpenApiDocument } from "./openapi";
import { fixtureDocument } from "./fixture";
import { generateClient } from "./generate";

export const options: GenerateOptions = { packageName: "com.example.client" };

/** One generated file by its type name, and the run's warnings. */
export function generated(
  doc: OpenApiDocument = fixtureDocument(),
  extra: Partial<GenerateOptions> = {},
): { file: (name: string) => string; paths: string[]; warnings: string[] } {
  const result = generateClient(doc, { ...options, ...extra });
  const byPath = new Map(result.files.map((f) => [f.path, f.content]));
  return {
    paths: [...byPath.keys()],
    warnings: result.warnings,
    file(name) {
      const path = [...byPath.keys()].find((key) => key.endsWith(`/${name}.kt`));
      if (path === undefined)
        throw new Error(`no ${name}.kt among ${[...byPath.keys()].join(", ")}`);
      return byPath.get(path) ?? "";
    },
  };
}

/** The fixture with one more path. */
export function withPath(
  path: string,
  item: OpenApiDocument["paths"][string],
  schemas: Record<string, unknown> = {},
): OpenApiDocument {
  const doc = fixtureDocument();
  doc.paths[path] = item;
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, ...(schemas as OpenApiDocument["paths"]) },
  } as OpenApiDocument["components"];
  return doc;
}
