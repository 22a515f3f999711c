export type { ConsoleCookie, Context } from "./context";
export { publicError } from "./errors";
export {
  buildOpenApiDocument,
  listOperations,
  serializeOpenApiDocument,
  successStatusOf,
} from "./openapi";
export { appRouter, type AppRouter } from "./root";
export { createCallerFactory } from "./trpc";
export { clientBucket } from "./client-ip";
export { RateLimitedError, RateLimits } from "./rate-limits";
