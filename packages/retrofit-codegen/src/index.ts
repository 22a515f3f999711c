export { generate, generateClient } from "./generate";
export type { GeneratedFile, GenerateOptions, GenerateResult } from "./generate";
export { GeneratorError } from "./diagnostics";
export { parseDocument } from "./openapi";
export type { OpenApiDocument } from "./openapi";
