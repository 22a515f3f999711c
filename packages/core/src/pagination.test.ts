import { describe, expect, it } from "vitest";

import { decodeCursor, encodeCursor, toPage } from "./pagination";

describe("cursors", () => {
  it("round-trip and stay opaque", () => {
    const cursor = {
      createdAt: new Date("2026-11-26T10:00:00.123Z"),
      id: "6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11",
    };
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  it.each([
    "",
    "!!!",
    Buffer.from("[1,2]").toString("base64url"),
    Buffer.from('["x","y"]').toString("base64url"),
    Buffer.from('["2026-11-26T10:00:00Z","not-a-uuid"]').toString("base64url"),
  ])("reject tampered input %s with VALIDATION_FAILED", (value) => {
    expect(() => decodeCursor(value)).toThrow(
      expect.objectContaining({ code: "VALIDATION_FAILED" }),
    );
  });

  it("give a next cursor only when more rows exist", () => {
    const rows = [1, 2, 3].map((n) => ({ n }));
    const of = (row: { n: number }) => ({
      createdAt: new Date(row.n),
      id: "6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11",
    });
    expect(toPage(rows, 2, of).items).toHaveLength(2);
    expect(toPage(rows, 2, of).nextCursor).not.toBeNull();
    expect(toPage(rows, 3, of).nextCursor).toBeNull();
  });
});
