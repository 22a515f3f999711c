import { readFileSync, existsSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";
const [file] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file!, "utf8"));
const maps = new Map<string, SourceMap | null>();
function origin(f: any): string {
  if (!maps.has(f.url)) { const path = f.url.startsWith("file://") ? fileURLToPath(f.url) : f.url; maps.set(f.url, existsSync(`${path}.map`) ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, "utf8"))) : null); }
  const e: any = maps.get(f.url)?.findEntry(f.lineNumber, f.columnNumber);
  return e && e.originalSource ? e.originalSource : f.url;
}
const parent = new Map<number, any>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
const rules: [string, (name: string, src: string) => boolean][] = [
  ["startup", (n, s) => s.includes("module_job") || n === "moduleStrategy" || s.includes("cjs/loader")],
  ["output validation", (n) => n === "outputMiddleware"],
  ["input validation", (n) => n === "inputMiddleware"],
  ["access log + metrics", (n, s) => s.endsWith("http/observe.ts") && n === "finish"],
  ["db (drizzle+postgres.js)", (n, s) => s.includes("drizzle-orm") || s.includes("/postgres/src") || s.includes("postgres@")],
  ["auth", (n) => n === "authenticate" || n === "verifyAccessToken"],
  ["response write", (n, s) => (n === "sendResponse") || (s.endsWith("src/app.ts") && n.includes("end")) ],
  ["core view mapping", (n, s) => s.includes("packages/core/src/imports.ts")],
  ["helmet", (n, s) => s.includes("helmet")],
  ["rate limit", (n, s) => s.includes("rate-limit")],
  ["request id", (n, s) => s.endsWith("request-id.ts")],
  ["trpc caller/middlewares", (n, s) => s.includes("@trpc/server") || s.includes("@trpc+server")],
  ["trpc-to-openapi", (n, s) => s.includes("trpc-to-openapi")],
  ["express/router", (n, s) => s.includes("express") || s.includes("/router/")],
  ["http parse", (n) => n === "parserOnHeadersComplete" || n === "parserOnIncoming"],
];
const IDLE = new Set(["(idle)", "(program)", "(root)"]);
const byPhase = new Map<string, number>();
let busy = 0;
const cache = new Map<number, string>();
function phaseOf(node: any): string {
  if (cache.has(node.id)) return cache.get(node.id)!;
  // walk from root down: innermost matching rule wins -> walk up from node, first match by priority order across whole stack
  const stack: [string, string][] = [];
  let cur = node;
  while (cur) { stack.push([cur.callFrame.functionName, origin(cur.callFrame)]); cur = parent.get(cur.id); }
  let phase = node.callFrame.functionName === "(garbage collector)" ? "gc" : "other";
  outer: for (const [n, s] of stack) for (const [name, rule] of rules) if (rule(n, s)) { phase = name; break outer; }
  cache.set(node.id, phase);
  return phase;
}
for (const n of p.nodes) {
  const hits = n.hitCount ?? 0;
  if (!hits || IDLE.has(n.callFrame.functionName)) continue;
  busy += hits;
  const ph = phaseOf(n);
  byPhase.set(ph, (byPhase.get(ph) ?? 0) + hits);
}
for (const [k, v] of [...byPhase].sort((a, b) => b[1] - a[1])) console.log(((v / busy) * 100).toFixed(1).padStart(5) + "%  " + k);
