import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { differences, existingFiles } from "./drift";

describe("drift check", () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(path.join(tmpdir(), "codegen-drift-"));
    roots.push(root);
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(root, name), content);
    }
    return root;
  }

  const expected = [
    { path: "com/example/A.kt", content: "a" },
    { path: "com/example/model/B.kt", content: "b" },
  ];

  it("passes when the tree holds exactly the generated files", () => {
    const root = tree({ "com/example/A.kt": "a", "com/example/model/B.kt": "b" });
    expect(differences(expected, existingFiles(root))).toEqual([]);
  });

  it("reports every file under the output root, not only .kt files in the package", () => {
    const root = tree({
      "com/example/A.kt": "a",
      "com/example/model/B.kt": "changed",
      "com/example/notes.txt": "x",
      "org/other/C.kt": "c",
      "README.md": "x",
    });
    expect(differences(expected, existingFiles(root))).toEqual([
      "stale    com/example/model/B.kt",
      "extra    README.md",
      "extra    com/example/notes.txt",
      "extra    org/other/C.kt",
    ]);
  });

  it("reports missing files, and a missing root as all missing", () => {
    const root = tree({ "com/example/A.kt": "a" });
    expect(differences(expected, existingFiles(root))).toEqual(["missing  com/example/model/B.kt"]);
    expect(differences(expected, existingFiles(path.join(root, "absent")))).toEqual([
      "missing  com/example/A.kt",
      "missing  com/example/model/B.kt",
    ]);
  });
});
