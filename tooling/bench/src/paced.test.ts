import { describe, expect, it } from "vitest";

import type { PacedResult } from "./paced";
import { mergedLatency, percentile } from "./paced";

const run = (latencies: number[]): PacedResult => ({
  requests: { total: latencies.length },
  duration: 1,
  latency: { p50: 0, p99: 0 },
  latencies: [...latencies].sort((a, b) => a - b),
  errors: 0,
  timeouts: 0,
  non2xx: 0,
});

describe("paced latencies", () => {
  it("reads a percentile from ascending values, to a tenth of a millisecond", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1.04);
    expect(percentile(values, 50)).toBe(51);
    expect(percentile(values, 99)).toBe(100);
    expect(percentile([], 99)).toBe(0);
  });

  it("takes slices together as one distribution, not the worse slice's p99", () => {
    // One slow answer in 200: the p99 of both slices together is fast, the slow slice's is not.
    const fast = run(Array.from({ length: 100 }, () => 3));
    const slow = run([...Array.from({ length: 99 }, () => 4), 80]);
    expect(percentile(slow.latencies ?? [], 99)).toBe(80);
    expect(mergedLatency([fast, slow])).toEqual({ p50: 4, p99: 4 });
    // Three slow answers in 200 are more than 1 %: then they are the p99.
    const slower = run([...Array.from({ length: 97 }, () => 4), 80, 81, 82]);
    expect(mergedLatency([fast, slower]).p99).toBe(81);
  });
});
