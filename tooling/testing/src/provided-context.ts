import "vitest";

// What the global setup provides to every test file through inject().
declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}
