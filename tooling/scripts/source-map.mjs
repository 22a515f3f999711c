// What bundle-app.mjs does to each bundle's source map before it ships: mappings for our own
// code only. The images run `node --enable-source-maps`, and the first stack trace node formats
// parses the whole map into one array per mapping and keeps them for the process's life: for the
// API's bundle, 544,000 mappings (95 % of them into node_modules) took 310-388 ms of the main
// thread, 55 MB of heap and 58-75 MB of RSS (docs/performance.md, eighth pass). A run of library
// code keeps one unmapped mapping, so a frame in it prints its place in the bundle (with its
// function's name) instead of a wrong place in the code before it.
import { decode, encode } from "@jridgewell/sourcemap-codec";

const isLibrary = (source) => /(^|\/)node_modules\//.test(source);

/** @typedef {import("./source-map.d.mts").SourceMapV3} SourceMapV3 */

/** Numbers what is kept (a source's index, a name) in the order it is first kept. */
function renumbering() {
  const kept = new Map();
  return {
    /** @param {number | string} key */
    renumber: (key) => {
      if (!kept.has(key)) kept.set(key, kept.size);
      return kept.get(key);
    },
    /** What was kept, in its new order. */
    kept: () => [...kept.keys()],
  };
}

/**
 * @param {SourceMapV3} map a source map as esbuild writes it
 * @returns {SourceMapV3} the same map with only first-party mappings, sources and names
 */
export function firstPartySourceMap(map) {
  const sources = renumbering();
  const names = renumbering();
  // A position maps through the last mapping at or before it, on its line or an earlier one: a
  // run of library code needs an unmapped mapping only where our own code came just before.
  let ownBefore = false;
  const lines = decode(map.mappings).map((line) => {
    const kept = [];
    for (const segment of line) {
      const own = segment.length > 1 && !isLibrary(map.sources[segment[1]]);
      if (own) {
        const [column, source, sourceLine, sourceColumn, name] = segment;
        const mapped = [column, sources.renumber(source), sourceLine, sourceColumn];
        // By name: esbuild's list can hold one name more than once.
        if (name !== undefined) mapped.push(names.renumber(map.names[name]));
        kept.push(mapped);
      } else if (ownBefore) {
        kept.push([segment[0]]);
      }
      ownBefore = own;
    }
    return kept;
  });
  const keptSources = sources.kept();
  return {
    version: 3,
    ...(map.file === undefined ? {} : { file: map.file }),
    ...(map.sourceRoot === undefined ? {} : { sourceRoot: map.sourceRoot }),
    sources: keptSources.map((index) => map.sources[index]),
    ...(map.sourcesContent
      ? { sourcesContent: keptSources.map((index) => map.sourcesContent[index] ?? null) }
      : {}),
    names: names.kept(),
    mappings: encode(lines),
  };
}
