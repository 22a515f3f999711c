import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decode, encode } from "@jridgewell/sourcemap-codec";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

import type { SourceMapV3 } from "../../scripts/source-map.mjs";
import { firstPartySourceMap } from "../../scripts/source-map.mjs";

describe("firstPartySourceMap", () => {
  const sources = ["../../packages/core/src/a.ts", "../../node_modules/lib/index.js", "src/b.ts"];
  const names = ["fromLibrary", "own", "second"];
  const map: SourceMapV3 = {
    version: 3,
    sources,
    names,
    mappings: encode([
      // own, library, library, own (named), library
      [
        [0, 0, 1, 0],
        [10, 1, 5, 2],
        [20, 1, 6, 0, 0],
        [30, 0, 2, 4, 1],
        [40, 1, 9, 0],
      ],
      // library code after library code: nothing to add; then our own
      [
        [0, 1, 12, 0],
        [8, 2, 3, 1, 2],
      ],
      // library code right after our own, though on the next line: one unmapped mapping
      [
        [0, 1, 20, 0],
        [4, 1, 21, 0],
      ],
      // an unmapped segment after library code: nothing either
      [[0], [6, 0, 7, 0]],
    ]),
  };

  it("keeps every mapping into our own code, with only our sources and names", () => {
    const result = firstPartySourceMap(map);
    expect(result.sources).toEqual(["../../packages/core/src/a.ts", "src/b.ts"]);
    expect(result.names).toEqual(["own", "second"]);
    expect(decode(result.mappings)).toEqual([
      [[0, 0, 1, 0], [10], [30, 0, 2, 4, 0], [40]],
      [[8, 1, 3, 1, 1]],
      [[0]],
      [[6, 0, 7, 0]],
    ]);
  });

  it("keeps the sources' content of the sources it keeps", () => {
    const result = firstPartySourceMap({ ...map, sourcesContent: ["a", "lib", "b"] });
    expect(result.sourcesContent).toEqual(["a", "b"]);
  });
});

describe("a bundle with its first-party source map, under node --enable-source-maps", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "runway-source-map-"));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("points our frames at our sources and library frames at the bundle", async () => {
    mkdirSync(path.join(dir, "src"));
    mkdirSync(path.join(dir, "node_modules", "fake-lib"), { recursive: true });
    writeFileSync(
      path.join(dir, "node_modules", "fake-lib", "index.js"),
      [
        "export function parseStrict(value) {",
        "  if (typeof value !== 'number') throw new TypeError('library refused');",
        "  return value;",
        "}",
      ].join("\n"),
    );
    writeFileSync(
      path.join(dir, "src", "app.ts"),
      [
        "import { parseStrict } from 'fake-lib';",
        "function ours(): never {",
        "  throw new Error('ours failed');",
        "}",
        "for (const run of [() => ours(), () => parseStrict('x' as unknown as number)]) {",
        "  try { run(); } catch (error) { console.log((error as Error).stack); }",
        "}",
      ].join("\n"),
    );
    await build({
      entryPoints: [path.join(dir, "src", "app.ts")],
      outfile: path.join(dir, "dist", "app.js"),
      absWorkingDir: dir,
      bundle: true,
      platform: "node",
      format: "esm",
      sourcemap: true,
      sourcesContent: false,
      minifyWhitespace: true,
      logLevel: "silent",
    });
    const mapFile = path.join(dir, "dist", "app.js.map");
    const full = JSON.parse(readFileSync(mapFile, "utf8")) as SourceMapV3;
    expect(full.sources.some((source) => source.includes("node_modules"))).toBe(true);
    writeFileSync(mapFile, JSON.stringify(firstPartySourceMap(full)));

    const output = execFileSync(
      process.execPath,
      ["--enable-source-maps", path.join(dir, "dist", "app.js")],
      { encoding: "utf8" },
    );
    const [ours, library] = output.split(/\n(?=\w*Error:)/);
    expect(ours).toMatch(/^Error: ours failed\n\s+at ours \(.*src\/app\.ts:3:9\)/);
    expect(library).toMatch(
      /^TypeError: library refused\n\s+at parseStrict \(.*dist\/app\.js:\d+:\d+\)/,
    );
    expect(library).not.toContain("node_modules");
    // The caller, in our code, is still mapped.
    expect(library).toMatch(/\n\s+at .*src\/app\.ts:5:\d+\)/);
  });
});
