import type { Schema } from "./openapi";
import type { EnumDef, Primitive } from "./types";
import { stringLiteral } from "./kotlin";
import { constantName, NameAllocator } from "./names";

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

export function constType(value: unknown): string | undefined {
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return undefined;
}

export function integerType(s: Schema): Primitive {
  if (s.format === "int32") return "Int";
  if (s.format === "int64") return "Long";
  const fitsInt =
    s.minimum !== undefined &&
    s.maximum !== undefined &&
    s.minimum >= INT_MIN &&
    s.maximum <= INT_MAX;
  return fitsInt ? "Int" : "Long";
}

export function primitiveLiteral(value: unknown, type: Primitive): string | undefined {
  switch (type) {
    case "String":
      return typeof value === "string" ? stringLiteral(value) : undefined;
    case "Boolean":
      return typeof value === "boolean" ? String(value) : undefined;
    case "Int":
      return Number.isInteger(value) ? String(value) : undefined;
    case "Long":
      return Number.isInteger(value) ? `${String(value)}L` : undefined;
    case "Double":
      if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
      return Number.isInteger(value) ? `${String(value)}.0` : String(value);
    case "Float":
      return typeof value === "number" && Number.isFinite(value) ? `${String(value)}f` : undefined;
    case "Instant":
      return undefined;
  }
}

export function enumConstants(values: string[]): Pick<EnumDef, "constants" | "fallback"> {
  const names = new NameAllocator();
  const constants = [...new Set(values)].map((wire) => ({
    name: names.allocate(constantName(wire)),
    wire,
  }));
  return { constants, fallback: names.allocate("UNKNOWN") };
}
