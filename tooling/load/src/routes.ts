/**
 * Route classes of docs/slo.md: each has its own latency objective (p95 over 5 minutes).
 * Login and register are "auth" (writes, argon2id included); the import upload has its own.
 */
export const ROUTE_CLASSES = ["read", "auth", "write", "import"] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

/** The SLO p95 objective of each class, in ms (docs/slo.md). */
export const SLO_P95_MS: Record<RouteClass, number> = {
  read: 300,
  auth: 500,
  write: 500,
  import: 2000,
};

export function routeClass(method: string, path: string): RouteClass {
  if (method === "GET" || method === "HEAD") return "read";
  if (path.startsWith("/v1/auth/")) return "auth";
  if (method === "POST" && path.split("?")[0] === "/v1/imports") return "import";
  return "write";
}
