import { describe, expect, it } from "vitest";

import { fixtureDocument } from "./fixture";
import { schemaNotes } from "./schema-notes";
import { generated } from "./test-helpers";

describe("schemaNotes: constraints reach the KDoc", () => {
  it("states lengths, item counts, ranges and patterns", () => {
    expect(schemaNotes({ type: "string", minLength: 12, maxLength: 128 })).toEqual([
      "Length: 12 to 128 characters.",
    ]);
    expect(schemaNotes({ type: "array", minItems: 1, maxItems: 10000 })).toEqual([
      "Items: 1 to 10000 items.",
    ]);
    expect(schemaNotes({ type: "array", minItems: 1 })).toEqual(["Items: at least 1 item."]);
    expect(schemaNotes({ type: "string", maxLength: 255 })).toEqual([
      "Length: at most 255 characters.",
    ]);
    expect(schemaNotes({ type: "integer", minimum: 1, maximum: 100 })).toEqual([
      "Range: >= 1 and <= 100.",
    ]);
    expect(schemaNotes({ type: "number", exclusiveMinimum: 0 })).toEqual(["Range: > 0."]);
    expect(schemaNotes({ type: "string", pattern: "^[\\x21-\\x7E]{1,255}$" })).toEqual([
      "Pattern: `^[\\x21-\\x7E]{1,255}$`.",
    ]);
  });

  it("leaves out zod's safe-integer bounds and patterns that only restate the format", () => {
    expect(
      schemaNotes({ type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 }),
    ).toEqual([]);
    expect(schemaNotes({ type: "string", format: "uuid", pattern: "^[0-9a-f-]{36}$" })).toEqual([
      "Format: `uuid`.",
    ]);
  });

  it("keeps a pattern with a backtick readable as inline code", () => {
    expect(schemaNotes({ type: "string", pattern: "^[a`b]$" })).toEqual([
      "Pattern: `` ^[a`b]$ ``.",
    ]);
  });

  it("puts constraints on model properties and on parameters", () => {
    const doc = fixtureDocument();
    const item = doc.paths["/widgets"]?.post;
    const header = item?.parameters?.[0];
    if (header?.schema === undefined) throw new Error("fixture changed");
    header.schema.pattern = "^[\\x21-\\x7E]{1,255}$";
    const { file } = generated(doc);
    expect(file("CreateWidgetRequestPartsItem")).toContain(
      '    /** Range: >= 0 and <= 100. */\n    @SerialName("count")',
    );
    expect(file("WidgetsApi")).toContain(
      "@param idempotencyKey Reuse it when retrying. Pattern: `^[\\x21-\\x7E]{1,255}$`.",
    );
  });
});

describe("generate: date-times", () => {
  function docWithTimes() {
    const doc = fixtureDocument();
    const widget = doc.components?.schemas?.Widget;
    if (widget?.properties === undefined) throw new Error("fixture changed");
    widget.properties.createdAt = { type: "string", format: "date-time" };
    widget.properties.seenAt = {
      anyOf: [{ type: "string", format: "date-time" }, { type: "null" }],
    };
    widget.required = [...(widget.required ?? []), "createdAt", "seenAt"];
    return doc;
  }

  it("types format date-time as kotlin.time.Instant by default", () => {
    const widget = generated(docWithTimes()).file("Widget");
    expect(widget).toContain("import kotlin.time.Instant\n");
    expect(widget).toContain("    val createdAt: Instant,");
    expect(widget).toContain("    val seenAt: Instant?,");
  });

  it("keeps them strings with the switch, and leaves uuids as strings either way", () => {
    const widget = generated(docWithTimes(), { dateTime: "string" }).file("Widget");
    expect(widget).not.toContain("Instant");
    expect(widget).toContain("    val createdAt: String,");
    expect(widget).toContain("    val id: String,");
  });
});
