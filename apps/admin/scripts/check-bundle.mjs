// Runs after `vite build`: fails when server code reached the bundle (a second line of defence
// behind the build plugin) or the main chunk passes its budget, and prints the sizes.
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_GZIP_BYTES = 250 * 1024;
const FORBIDDEN =
  /node_modules\/(drizzle-orm|@node-rs\/argon2|@electric-sql\/pglite|winston|express|postgres|ioredis|bullmq)\//;

const dist = new URL("../dist/", import.meta.url);
const report = JSON.parse(readFileSync(new URL("bundle-report.json", dist), "utf8"));
let failed = false;
let main = null;
for (const [file, chunk] of Object.entries(report)) {
  const bad = chunk.modules.filter(
    (id) => FORBIDDEN.test(id) || /packages\/(core|db|api)\//.test(id),
  );
  if (bad.length > 0) {
    console.error(`bundle: ${file} contains server code:\n  ${bad.join("\n  ")}`);
    failed = true;
  }
  const bytes = readFileSync(new URL(file, dist));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  console.log(
    `bundle: ${path.basename(file)} ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped${chunk.isEntry ? " (main)" : ""}`,
  );
  if (chunk.isEntry) main = gzipped;
}
if (main === null) {
  console.error("bundle: no entry chunk found");
  failed = true;
} else if (main > BUDGET_GZIP_BYTES) {
  console.error(
    `bundle: main chunk ${(main / 1024).toFixed(1)} KB gzipped exceeds the 250 KB budget`,
  );
  failed = true;
} else {
  console.log(
    `bundle: main chunk ${(main / 1024).toFixed(1)} KB gzipped (budget 250 KB); no server modules`,
  );
}
process.exit(failed ? 1 : 0);
