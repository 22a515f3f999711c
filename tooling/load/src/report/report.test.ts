import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { fakeRun, samplesOf } from "../fixtures.test-util";
import { summarize } from "../stats";
import { compareRuns, DEFAULT_TOLERANCE } from "./compare";
import { htmlReport } from "./html";
import { markdownSummary } from "./markdown";
import { timeSeries } from "./series";
import { writeReport } from "./write";

const run = fakeRun([
  ...samplesOf(100, 0, 200, 20, 0, 100),
  ...samplesOf(20, 1, 200, 120, 0, 500),
  ...samplesOf(5, 0, 503, 2, 5000, 100),
]);

describe("the report", () => {
  it("buckets latency per class, throughput and rates over time", () => {
    const ts = timeSeries(run, 5);
    expect(ts.latency.map((c) => c.cls)).toEqual(["read", "auth"]);
    const p95 = ts.latency[0]?.series.find((s) => s.name === "p95");
    expect(p95?.points[0]).toEqual({ x: 2.5, y: 20 });
    expect(ts.throughput[0]?.points[0]?.y).toBe((50 + 10) / 5);
    const shed = ts.errors.find((s) => s.name === "503 shed");
    expect(shed?.points[1]?.y).toBeCloseTo(5 / (50 + 10 + 5));
    expect(ts.rss.find((s) => s.name === "worker")?.points.map((p) => p.y)).toEqual([90, 95]);
  });

  it("is one self-contained HTML file with a chart per class and per resource, and the verdicts", () => {
    const html = htmlReport(run);
    expect(html.match(/<svg /g)).toHaveLength(2 + 6);
    for (const title of [
      "Latency: read",
      "Latency: auth",
      "Throughput",
      "Import queue depth",
      "Oldest waiting import",
      "CPU",
      "RSS",
    ]) {
      expect(html).toContain(title);
    }
    expect(html).toContain("read p95");
    expect(html).not.toMatch(/<script|<link|src="http/);
  });

  it("escapes text from the run", () => {
    const html = htmlReport(fakeRun([], { failures: {}, description: "<img onerror=x>" }));
    expect(html).not.toContain("<img onerror");
  });

  it("summarizes the thresholds and verdicts in markdown", () => {
    const md = markdownSummary(run);
    expect(md).toContain("# Load run: smoke — PASS");
    expect(md).toContain("| read p95 | < 300 ms | 20 ms | pass |");
    expect(md).toContain("load average 1 1 1 at the start");
    expect(md).toContain("create 503 × 1");
  });

  it("writes report.html and summary.md, with the comparison when given a baseline", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "load-report-"));
    const slower = fakeRun(samplesOf(100, 0, 200, 40, 0, 100));
    const { regressions } = writeReport(slower, dir, run);
    expect(regressions).toBeGreaterThan(0);
    expect(readFileSync(path.join(dir, "summary.md"), "utf8")).toContain("REGRESSION");
    expect(readFileSync(path.join(dir, "report.html"), "utf8")).toContain("Compared with");
  });
});

describe("comparing runs", () => {
  const base = fakeRun(samplesOf(100, 0, 200, 100));

  it("flags a p95 that grew past the tolerance, not one within it", () => {
    const within = compareRuns(base, fakeRun(samplesOf(100, 0, 200, 109)));
    expect(within.find((d) => d.metric === "read p95 (ms)")).toMatchObject({
      change: "+9.0 %",
      regression: false,
    });
    const beyond = compareRuns(base, fakeRun(samplesOf(100, 0, 200, 125)));
    expect(beyond.find((d) => d.metric === "read p95 (ms)")).toMatchObject({
      change: "+25.0 %",
      regression: true,
    });
  });

  it("flags error rates by percentage points and dropped throughput", () => {
    const worse = fakeRun([...samplesOf(98, 0, 200, 100), ...samplesOf(2, 0, 500, 5)]);
    const errors = compareRuns(base, worse).find((d) => d.metric === "error rate (%)");
    expect(errors).toMatchObject({ change: "+2.00 pp", regression: true });
    const slow = fakeRun(samplesOf(100, 0, 200, 100, 0, 20));
    const thr = compareRuns(base, slow).find((d) => d.metric === "throughput (req/s)");
    expect(thr?.regression).toBe(true);
  });

  it("honours a stated tolerance", () => {
    const candidate = fakeRun(samplesOf(100, 0, 200, 125));
    const loose = compareRuns(base, candidate, { ...DEFAULT_TOLERANCE, latency: 0.3 });
    expect(loose.some((d) => d.regression)).toBe(false);
    expect(summarize(candidate.samples).byClass.read?.p95).toBe(125);
  });
});
