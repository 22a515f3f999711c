import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

/**
 * `tsx tooling/bench/src/profile-top.ts FILE.cpuprofile [N]`: where a V8 CPU profile (from
 * `node --cpu-prof`) spends its samples: the N functions with the most self time, then self
 * time per package. Frames in a bundle are mapped back to their sources through its source map.
 */
interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

const [file, limit = "25"] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-top.ts FILE.cpuprofile [N]");
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[] };

const maps = new Map<string, SourceMap | null>();
function sourceMapOf(url: string): SourceMap | null {
  if (!maps.has(url)) {
    const path = url.startsWith("file://") ? fileURLToPath(url) : url;
    const map = existsSync(`${path}.map`)
      ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, "utf8")) as never)
      : null;
    maps.set(url, map);
  }
  return maps.get(url) ?? null;
}

/**
 * A bundle's frame its source map leaves unmapped: esbuild's own helpers, and library code when
 * the bundle was built with the shipped, first-party map (bench:http --profile builds the full one).
 */
const UNMAPPED = "(unmapped bundle code)";

function origin(frame: ProfileNode["callFrame"]): string {
  const map = sourceMapOf(frame.url);
  if (!map) return frame.url || "(native)";
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
  return "originalSource" in entry && entry.originalSource ? entry.originalSource : UNMAPPED;
}

function packageOf(source: string): string {
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (dep?.[1]) return dep[1];
  const own = /(packages|apps|tooling)\/([^/]+)\//.exec(source);
  if (own) return `${own[1]}/${own[2]}`;
  return source.startsWith("node:") ? "node" : source;
}

const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  const source = origin(node.callFrame);
  const name = `${node.callFrame.functionName || "(anonymous)"} ${source.split("/").slice(-2).join("/")}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  byPackage.set(packageOf(source), (byPackage.get(packageOf(source)) ?? 0) + hits);
}
const print = (title: string, table: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, hits] of [...table].sort((a, b) => b[1] - a[1]).slice(0, Number(limit))) {
    console.log(`${((hits / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
};
// Inclusive time: each node's subtree, counted once per function on any one stack.
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const inclusive = new Map<string, number>();
const nameOf = (node: ProfileNode) =>
  `${node.callFrame.functionName || "(anonymous)"} ${origin(node.callFrame).split("/").slice(-2).join("/")}`;
function walk(node: ProfileNode, onStack: Set<string>): number {
  let hits = node.hitCount ?? 0;
  const name = nameOf(node);
  const fresh = !onStack.has(name);
  if (fresh) onStack.add(name);
  for (const child of node.children ?? []) {
    const next = nodes.get(child);
    if (next) hits += walk(next, onStack);
  }
  if (fresh) {
    onStack.delete(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + hits);
  }
  return hits;
}
const roots = profile.nodes.filter(
  (node) => !profile.nodes.some((parent) => parent.children?.includes(node.id)),
);
for (const root of roots) walk(root, new Set());

// Busy time by file: node internals and natives charged to the nearest file of a package or of
// our own code that called them, as a share of the samples that were not idle.
const parents = new Map<number, ProfileNode>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
const IDLE = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);
const byCaller = new Map<string, number>();
let busy = 0;
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (hits === 0 || IDLE.has(node.callFrame.functionName)) continue;
  busy += hits;
  let owner: ProfileNode | undefined = node;
  let source = "(native)";
  while (owner) {
    source = origin(owner.callFrame);
    if (source !== "(native)" && !source.startsWith("node:") && source !== "") break;
    owner = parents.get(owner.id);
  }
  const pkg = packageOf(source);
  const key = pkg === source ? source : `${pkg} ${source.split("/").slice(-2).join("/")}`;
  byCaller.set(key, (byCaller.get(key) ?? 0) + hits);
}
print("self time by function", byFunction);
print("inclusive time by function", inclusive);
print("self time by package", byPackage);
console.log("\nbusy time by file, node internals charged to their caller (share of busy samples)");
for (const [key, hits] of [...byCaller].sort((a, b) => b[1] - a[1]).slice(0, Number(limit))) {
  console.log(`${((hits / busy) * 100).toFixed(1).padStart(5)}%  ${key}`);
}
