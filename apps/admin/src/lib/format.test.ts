import { describe, expect, it } from "vitest";

import { formatDetails } from "../screens/audit";
import {
  durationBetween,
  formatAgo,
  formatCount,
  formatDateTime,
  formatRatio,
  formatSeconds,
  formatSpan,
} from "./format";
import { withoutItem } from "./optimistic";

describe("formatting", () => {
  it.each([
    [0.0123, "12 ms"],
    [1.5, "1.50 s"],
    [75, "1 min 15 s"],
    [null, "–"],
  ])("formats a latency of %s seconds as %s", (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });

  it("formats ratios, counts and spans", () => {
    expect(formatRatio(0)).toBe("0%");
    expect(formatRatio(0.0004)).toBe("<0.1%");
    expect(formatRatio(0.071)).toBe("7.1%");
    expect(formatRatio(0.5)).toBe("50%");
    expect(formatRatio(null)).toBe("–");
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatSpan(14)).toBe("14 s");
    expect(formatSpan(900)).toBe("15 min");
  });

  it("formats times in UTC and the age of data", () => {
    expect(formatDateTime("2026-12-01T10:08:18.123Z")).toBe("2026-12-01 10:08:18 UTC");
    expect(formatDateTime("nonsense")).toBe("–");
    expect(formatAgo(10_000, 14_900)).toBe("4 s ago");
    expect(formatAgo(0, 125_000)).toBe("2 min ago");
    expect(durationBetween("2026-12-01T10:00:00Z", "2026-12-01T10:00:02.5Z")).toBe("2.50 s");
    expect(durationBetween(null, "2026-12-01T10:00:00Z")).toBe("–");
  });

  it("shows audit details before/after first", () => {
    expect(formatDetails({ after: "admin,user", before: "user" })).toBe(
      "before: user · after: admin,user",
    );
    expect(formatDetails({})).toBe("–");
  });

  it("drops one item from a page for the optimistic view, leaving the original intact", () => {
    const page = { items: [{ id: "a" }, { id: "b" }], nextCursor: null };
    expect(withoutItem(page, "a")).toEqual({ items: [{ id: "b" }], nextCursor: null });
    expect(page.items).toHaveLength(2);
    expect(withoutItem(undefined, "a")).toBeUndefined();
  });
});
