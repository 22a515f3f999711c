import type { OpenApiDocument } from "./openapi";
import { emitApis } from "./emit-apis";
import { emitModels } from "./emit-models";
import { NameAllocator, pascalName } from "./names";
import { collectApis, operationTags } from "./operations";
import { emitSupport, SUPPORT_TYPE_NAMES } from "./support-files";
import { ModelRegistry } from "./types";

export interface GeneratedFile {
  /** Relative to the Kotlin source root, with forward slashes. */
  path: string;
  content: string;
}

export interface GenerateOptions {
  /** Root package; models go to `<package>.model`, interfaces to `<package>.api`. */
  packageName: string;
}

const PACKAGE_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/**
 * Kotlin sources for a document, sorted by path. Pure: the same document and options always
 * give the same bytes.
 */
export function generate(doc: OpenApiDocument, options: GenerateOptions): GeneratedFile[] {
  if (!PACKAGE_NAME.test(options.packageName)) {
    throw new Error(`"${options.packageName}" is not a lower-case Kotlin package name`);
  }
  // Claim order decides who keeps a contested name: support types, components, interfaces,
  // then inline models (named after their operation or parent).
  const names = new NameAllocator(SUPPORT_TYPE_NAMES);
  const models = new ModelRegistry(doc, names);
  const apiNames = new Map(
    operationTags(doc).map((tag) => [tag, models.allocateTypeName(`${pascalName(tag)}Api`)]),
  );
  models.defineComponents();
  const { apis, errorEnvelope } = collectApis(doc, models, apiNames);
  const envelope = errorEnvelope === undefined ? undefined : models.componentType(errorEnvelope);

  const files = [
    ...emitSupport(options.packageName, envelope),
    ...emitModels(models.models.values(), options.packageName),
    ...emitApis(apis, options.packageName, envelope),
  ];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
