import { describe, expect, it } from "vitest";

import { CursorSchema, IndexCursorSchema } from "@runway/contracts";

import { decodeCursor, decodeIndexCursor, encodeCursor, toPage } from "./pagination";

describe("index cursors", () => {
  it("are the last index seen", () => {
    expect(decodeIndexCursor("41")).toBe(41);
    expect(decodeIndexCursor("0")).toBe(0);
    expect(IndexCursorSchema.safeParse("999999999").success).toBe(true);
    expect(decodeIndexCursor("999999999")).toBe(999_999_999);
  });

  it.each(["", "-1", "1.5", "1e3", "1234567890", " 1"])(
    "refuse %j with VALIDATION_FAILED",
    (value) => {
      expect(IndexCursorSchema.safeParse(value).success).toBe(false);
      expect(() => decodeIndexCursor(value)).toThrow(
        expect.objectContaining({ code: "VALIDATION_FAILED" }),
      );
    },
  );
});

const id = "6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11";

describe("keyset cursors", () => {
  it("are the creation time in ms and the id, and round-trip", () => {
    const cursor = { createdAt: new Date("2026-11-26T10:00:00.123Z"), id };
    const encoded = encodeCursor(cursor);
    expect(encoded).toBe(`1795687200123_${id}`);
    expect(CursorSchema.safeParse(encoded).success).toBe(true);
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  it.each([
    "",
    "!!!",
    `_${id}`,
    `12345678901234_${id}`,
    "1795687200123_not-a-uuid",
    `1795687200123_${id.toUpperCase()}`,
    Buffer.from(`["2026-11-26T10:00:00Z","${id}"]`).toString("base64url"),
  ])("refuse %j with VALIDATION_FAILED on `cursor`", (value) => {
    expect(CursorSchema.safeParse(value).success).toBe(false);
    expect(() => decodeCursor(value)).toThrow(
      expect.objectContaining({
        code: "VALIDATION_FAILED",
        issues: [{ path: "cursor", message: "Invalid cursor" }],
      }),
    );
  });
});

describe("toPage", () => {
  const rows = [1, 2, 3].map((n) => ({ createdAt: new Date(n), id }));

  it("gives the last row's cursor only when more rows exist", () => {
    expect(toPage(rows, 2, encodeCursor)).toEqual({
      items: rows.slice(0, 2),
      nextCursor: `2_${id}`,
    });
    expect(toPage(rows, 3, encodeCursor)).toEqual({ items: rows, nextCursor: null });
  });
});
