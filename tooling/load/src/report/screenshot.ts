import { chromium } from "playwright-core";

/**
 * `tsx tooling/load/src/report/screenshot.ts <report.html> <out.png> [width]`: a screenshot of
 * a report with Debian's headless Chromium (for docs/load-testing.md).
 */
const [html, out, width = "1240"] = process.argv.slice(2);
if (!html || !out) {
  console.error("usage: screenshot.ts <report.html> <out.png> [width]");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
  await page.goto(`file://${html}`);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
