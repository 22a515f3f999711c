import { appRouter, listOperations } from "@runway/api";

interface RestRoute {
  template: string;
  pattern: RegExp;
  methods: string[];
}

/** Every /v1 path of the contract, with the methods it takes. */
export const restRoutes: RestRoute[] = listOperations().reduce<RestRoute[]>((all, op) => {
  const template = `/v1${op.path}`;
  // HEAD is served wherever GET is.
  const methods = op.method === "get" ? ["GET", "HEAD"] : [op.method.toUpperCase()];
  const route = all.find((r) => r.template === template);
  if (route) route.methods.push(...methods);
  else {
    const source = `^${template.replace(/\{[^}]+\}/g, "[^/]+")}/?$`;
    all.push({ template, pattern: new RegExp(source, "i"), methods });
  }
  return all;
}, []);

const procedures = new Set(Object.keys(appRouter._def.procedures));
const FIXED = new Set(["/healthz", "/readyz", "/metrics", "/v1/openapi.json"]);

/**
 * The route template a request path belongs to, for logs and metric labels: a contract path
 * (`/v1/imports/{importId}`), a tRPC procedure, a fixed path, or a bounded fallback. Never the
 * raw path, so label cardinality stays fixed whatever clients send.
 */
export function routeTemplate(path: string): string {
  if (FIXED.has(path)) return path;
  if (path.startsWith("/v1/")) {
    return restRoutes.find((route) => route.pattern.test(path))?.template ?? "/v1/{unmatched}";
  }
  if (path.startsWith("/trpc/")) {
    const names = path.slice("/trpc/".length).split(",");
    // A batch is one label whatever it combines, so the label set stays small.
    if (names.length > 1) return "/trpc/{batch}";
    return procedures.has(path.slice("/trpc/".length)) ? path : "/trpc/{unmatched}";
  }
  if (path === "/docs" || path.startsWith("/docs/")) return "/docs";
  return "{unmatched}";
}
