import type { Schema } from "./openapi";

/** JavaScript's safe-integer bounds, which zod puts on every `z.number().int()`: noise in KDoc. */
const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** Formats whose pattern only restates the format (a UUID, an ISO-8601 time). */
const SELF_DESCRIBING_FORMATS = new Set(["uuid", "date-time", "date", "email", "uri"]);

export function isStringEnum(schema: Schema): boolean {
  return (
    schema.enum !== undefined &&
    schema.enum.length > 0 &&
    schema.enum.every((value) => typeof value === "string") &&
    (schema.type === undefined || schema.type === "string")
  );
}

/** Markdown inline code that survives backticks inside the text. */
function inlineCode(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function showValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** "between 12 and 128 characters", "at least 1 item", ...; undefined when neither bound is set. */
function bounds(
  min: number | undefined,
  max: number | undefined,
  unit: string,
): string | undefined {
  const plural = (n: number) => `${String(n)} ${unit}${n === 1 ? "" : "s"}`;
  if (min !== undefined && max !== undefined) {
    return min === max ? `exactly ${plural(min)}` : `${String(min)} to ${plural(max)}`;
  }
  if (min !== undefined) return `at least ${plural(min)}`;
  if (max !== undefined) return `at most ${plural(max)}`;
  return undefined;
}

function numericRange(schema: Schema): string | undefined {
  const lower =
    typeof schema.exclusiveMinimum === "number"
      ? `> ${String(schema.exclusiveMinimum)}`
      : schema.minimum !== undefined && schema.minimum > -SAFE_INTEGER
        ? `>= ${String(schema.minimum)}`
        : undefined;
  const upper =
    typeof schema.exclusiveMaximum === "number"
      ? `< ${String(schema.exclusiveMaximum)}`
      : schema.maximum !== undefined && schema.maximum < SAFE_INTEGER
        ? `<= ${String(schema.maximum)}`
        : undefined;
  if (lower === undefined && upper === undefined) return undefined;
  return `Range: ${[lower, upper].filter((part) => part !== undefined).join(" and ")}.`;
}

/**
 * The schema keywords worth a line of KDoc besides the description: format, constraints the
 * server validates (length, item count, range, pattern), fixed values and an example.
 */
export function schemaNotes(schema: Schema): string[] {
  const notes: string[] = [];
  if (schema.format !== undefined) notes.push(`Format: \`${schema.format}\`.`);
  const length = bounds(schema.minLength, schema.maxLength, "character");
  if (length !== undefined) notes.push(`Length: ${length}.`);
  const items = bounds(schema.minItems, schema.maxItems, "item");
  if (items !== undefined) notes.push(`Items: ${items}.`);
  const range = numericRange(schema);
  if (range !== undefined) notes.push(range);
  if (schema.pattern !== undefined && !SELF_DESCRIBING_FORMATS.has(schema.format ?? "")) {
    notes.push(`Pattern: ${inlineCode(schema.pattern)}.`);
  }
  if (schema.const !== undefined) notes.push(`Always \`${showValue(schema.const)}\`.`);
  if (schema.enum !== undefined && !isStringEnum(schema)) {
    notes.push(`One of: ${schema.enum.map((value) => `\`${showValue(value)}\``).join(", ")}.`);
  }
  if (schema.example !== undefined) notes.push(`Example: \`${showValue(schema.example)}\`.`);
  return notes;
}
