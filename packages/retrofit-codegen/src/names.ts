/** Kotlin's hard keywords: never valid as identifiers unless backticked. */
export const KOTLIN_HARD_KEYWORDS = new Set([
  "as",
  "break",
  "class",
  "continue",
  "do",
  "else",
  "false",
  "for",
  "fun",
  "if",
  "in",
  "interface",
  "is",
  "null",
  "object",
  "package",
  "return",
  "super",
  "this",
  "throw",
  "true",
  "try",
  "typealias",
  "typeof",
  "val",
  "var",
  "when",
  "while",
]);

/**
 * Type names the generated files use unqualified; a model with one of these names would shadow
 * them, so it gets a `Model` suffix instead.
 */
export const RESERVED_TYPE_NAMES = new Set([
  "Any",
  "Array",
  "Body",
  "Boolean",
  "Byte",
  "Char",
  "DELETE",
  "Deprecated",
  "Double",
  "Enum",
  "Float",
  "GET",
  "HEAD",
  "HTTP",
  "Header",
  "Int",
  "Json",
  "JsonElement",
  "JsonObject",
  "KSerializer",
  "List",
  "Long",
  "Map",
  "Nothing",
  "Number",
  "OPTIONS",
  "PATCH",
  "POST",
  "PUT",
  "Path",
  "Query",
  "RequestBody",
  "Response",
  "SerialName",
  "Serializable",
  "Short",
  "String",
  "Unit",
]);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits `X-Request-ID`, `nextCursor`, `logout_all`, `HTTPServer` into words. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

function leadingDigitSafe(name: string, prefix: string): string {
  return /^[0-9]/.test(name) ? prefix + name : name;
}

/** A Kotlin value name: kept as written when it is already an identifier, else camelCase. */
export function camelName(text: string): string {
  if (IDENTIFIER.test(text)) return text;
  const parts = words(text);
  if (parts.length === 0) return "value";
  const [first = "", ...rest] = parts;
  return leadingDigitSafe(first.toLowerCase() + rest.map(capitalize).join(""), "_");
}

/** A Kotlin type name: PascalCase. */
export function pascalName(text: string): string {
  if (IDENTIFIER.test(text))
    return leadingDigitSafe(text.charAt(0).toUpperCase() + text.slice(1), "T");
  const parts = words(text);
  if (parts.length === 0) return "Anonymous";
  return leadingDigitSafe(
    parts.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join(""),
    "T",
  );
}

/** An enum constant: SCREAMING_SNAKE_CASE from the wire value. */
export function constantName(value: string): string {
  const parts = words(value);
  if (parts.length === 0) return "EMPTY";
  return leadingDigitSafe(parts.map((part) => part.toUpperCase()).join("_"), "_");
}

/** Backticks a hard keyword so it can name a property, parameter or function. */
export function escapeIdentifier(name: string): string {
  return KOTLIN_HARD_KEYWORDS.has(name) ? `\`${name}\`` : name;
}

/** Hands out names, appending 2, 3, ... to repeats, so two different inputs never share one. */
export class NameAllocator {
  private readonly used = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.used.add(name.toLowerCase());
  }

  /** Case-insensitive, since two files differing only in case collide on macOS and Windows. */
  allocate(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.used.has(name.toLowerCase()); n++) name = `${wanted}${n}`;
    this.used.add(name.toLowerCase());
    return name;
  }
}
