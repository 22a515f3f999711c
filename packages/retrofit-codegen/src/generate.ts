import type { OpenApiDocument } from "./openapi";
import type { DateTimeMode } from "./types";
import { Diagnostics } from "./diagnostics";
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
  /** `format: date-time` as `kotlin.time.Instant` (the default) or as the wire `String`. */
  dateTime?: DateTimeMode;
  /** The generated factory over every interface; `RunwayApi` by default. */
  factoryName?: string;
}

export interface GenerateResult {
  files: GeneratedFile[];
  /** Constructs generated with a fallback (a union without a discriminator, a cookie, ...). */
  warnings: string[];
}

const PACKAGE_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Kotlin sources for a document, sorted by path, and the warnings of the run. Pure: the same
 * document and options always give the same bytes. Throws on what would make an operation
 * uncallable (a required cookie, a required non-JSON body).
 */
export function generateClient(doc: OpenApiDocument, options: GenerateOptions): GenerateResult {
  if (!PACKAGE_NAME.test(options.packageName)) {
    throw new Error(`"${options.packageName}" is not a lower-case Kotlin package name`);
  }
  const factoryName = options.factoryName ?? "RunwayApi";
  if (!TYPE_NAME.test(factoryName)) throw new Error(`"${factoryName}" is not a Kotlin type name`);
  const diagnostics = new Diagnostics();
  // Claim order decides who keeps a contested name: support types, components, interfaces,
  // then inline models (named after their operation or parent).
  const names = new NameAllocator([...SUPPORT_TYPE_NAMES, factoryName]);
  const models = new ModelRegistry(doc, names, diagnostics, options.dateTime ?? "instant");
  const apiNames = new Map(
    operationTags(doc).map((tag) => [tag, models.allocateTypeName(`${pascalName(tag)}Api`)]),
  );
  models.defineComponents();
  const { apis, errorEnvelope } = collectApis(doc, models, apiNames, diagnostics);
  const envelope = errorEnvelope === undefined ? undefined : models.componentType(errorEnvelope);
  const serverPath = doc.servers?.[0]?.url.replace(/^[a-z]+:\/\/[^/]+/i, "");

  const files = [
    ...emitSupport({ rootPackage: options.packageName, envelope, apis, factoryName, serverPath }),
    ...emitModels(models.models.values(), options.packageName, models.parents),
    ...emitApis(apis, options.packageName, envelope),
  ];
  return {
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    warnings: diagnostics.warnings,
  };
}

/** The files of [generateClient], for callers that have no use for the warnings. */
export function generate(doc: OpenApiDocument, options: GenerateOptions): GeneratedFile[] {
  return generateClient(doc, options).files;
}
