export { generate } from "./generate";
export type { GeneratedFile, GenerateOptions } from "./generate";
export { parseDocument } from "./openapi";
export type { OpenApiDocument } from "./openapi";
