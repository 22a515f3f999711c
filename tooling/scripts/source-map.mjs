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

/**
 * @param {SourceMapV3} map a source map as esbuild writes it
 * @returns {SourceMapV3} the same map with only first-party mappings, sources and names
 */
export function firstPartySourceMap(map) {
  /** @type {string[]} */
  const sources = [];
  /** @type {string[]} */
  const names = [];
  const sourceIndex = new Map();
  const nameIndex = new Map();
  const indexIn = (list, index, value) => {
    if (!index.has(value)) index.set(value, list.push(value) - 1);
    return index.get(value);
  };
  // A position maps through the last mapping at or before it, on its line or an earlier one: a
  // run of library code needs an unmapped mapping only where our own code came just before.
  let ownBefore = false;
  const lines = decode(map.mappings).map((line) => {
    const kept = [];
    for (const segment of line) {
      const own = segment.length > 1 && !isLibrary(map.sources[segment[1]]);
      if (own) {
        const [column, source, sourceLine, sourceColumn, name] = segment;
        kept.push(
          segment.length === 5
            ? [
                column,
                indexIn(sources, sourceIndex, map.sources[source]),
                sourceLine,
                sourceColumn,
                indexIn(names, nameIndex, map.names[name]),
              ]
            : [
                column,
                indexIn(sources, sourceIndex, map.sources[source]),
                sourceLine,
                sourceColumn,
              ],
        );
      } else if (ownBefore) {
        kept.push([segment[0]]);
      }
      ownBefore = own;
    }
    return kept;
  });
  return {
    version: 3,
    ...(map.file === undefined ? {} : { file: map.file }),
    ...(map.sourceRoot === undefined ? {} : { sourceRoot: map.sourceRoot }),
    sources,
    ...(map.sourcesContent
      ? { sourcesContent: sources.map((source) => map.sourcesContent[map.sources.indexOf(source)]) }
      : {}),
    names,
    mappings: encode(lines),
  };
}
