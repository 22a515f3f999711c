import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import type { GeneratedFile } from "./generate";

/** Every file under the output root, whatever its name: the generator owns that tree. */
export function existingFiles(output: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    let entries;
    try {
      entries = readdirSync(path.join(output, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else files.set(child, readFileSync(path.join(output, child), "utf8"));
    }
  };
  walk("");
  return files;
}

export function differences(expected: GeneratedFile[], actual: Map<string, string>): string[] {
  const problems: string[] = [];
  const wanted = new Set(expected.map((file) => file.path));
  for (const file of expected) {
    const current = actual.get(file.path);
    if (current === undefined) problems.push(`missing  ${file.path}`);
    else if (current !== file.content) problems.push(`stale    ${file.path}`);
  }
  for (const file of [...actual.keys()].sort()) {
    if (!wanted.has(file)) problems.push(`extra    ${file}`);
  }
  return problems;
}
