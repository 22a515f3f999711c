import { readFileSync } from "node:fs";

/**
 * `tsx tooling/bench/src/profile-top.ts FILE.cpuprofile [N]`: the N functions with the most
 * self time in a V8 CPU profile (from `node --cpu-prof`), with their share of all samples.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const [file, limit = "25"] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-top.ts FILE.cpuprofile [N]");
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[] };
const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
const self = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "");
  const key = `${functionName || "(anonymous)"} ${where.split("/").slice(-3).join("/")}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (node.hitCount ?? 0));
}
for (const [key, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(limit))) {
  console.log(`${((hits / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}
