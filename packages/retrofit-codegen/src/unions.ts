import type { OpenApiDocument, Schema } from "./openapi";
import { schemaByRef } from "./openapi";

export interface UnionVariant {
  /** The discriminator's value for this branch. */
  wire: string;
  branch: Schema;
}

export interface DiscriminatedUnion {
  propertyName: string;
  variants: UnionVariant[];
}

/** The branches of a real union (`oneOf` or `anyOf` left after null was split off). */
export function unionBranches(schema: Schema): Schema[] | undefined {
  return schema.oneOf ?? schema.anyOf;
}

function branchTarget(doc: OpenApiDocument, branch: Schema): Schema {
  return branch.$ref !== undefined ? schemaByRef(doc, branch.$ref) : branch;
}

/** A branch's fixed discriminator value: a `const` or a one-value `enum` on that property. */
function fixedValue(doc: OpenApiDocument, branch: Schema, property: string): string | undefined {
  const target = branchTarget(doc, branch);
  const members = [target, ...(target.allOf ?? []).map((member) => branchTarget(doc, member))];
  for (const member of members) {
    const schema = member.properties?.[property];
    if (schema === undefined) continue;
    const resolved = schema.$ref !== undefined ? schemaByRef(doc, schema.$ref) : schema;
    if (typeof resolved.const === "string") return resolved.const;
    if (resolved.enum?.length === 1 && typeof resolved.enum[0] === "string")
      return resolved.enum[0];
  }
  return undefined;
}

/**
 * Reads `oneOf`/`anyOf` + `discriminator` (what a zod discriminated union becomes): every
 * branch must have one discriminator value, from `discriminator.mapping` or from a `const` (or
 * one-value enum) on the discriminator property. Returns a reason instead when it cannot.
 */
export function readDiscriminatedUnion(
  doc: OpenApiDocument,
  schema: Schema,
): DiscriminatedUnion | { unsupported: string } {
  const branches = unionBranches(schema) ?? [];
  const keyword = schema.oneOf !== undefined ? "oneOf" : "anyOf";
  const propertyName = schema.discriminator?.propertyName;
  if (propertyName === undefined) {
    return {
      unsupported: `${keyword} without a discriminator (${String(branches.length)} branches) cannot be told apart; typed as JsonElement`,
    };
  }
  const byRef = new Map(
    Object.entries(schema.discriminator?.mapping ?? {}).map(([wire, ref]) => [ref, wire]),
  );
  const variants: UnionVariant[] = [];
  const seen = new Set<string>();
  for (const [index, branch] of branches.entries()) {
    const wire =
      (branch.$ref !== undefined ? byRef.get(branch.$ref) : undefined) ??
      fixedValue(doc, branch, propertyName);
    if (wire === undefined) {
      return {
        unsupported: `${keyword} branch ${branch.$ref ?? `#${String(index)}`} has no fixed "${propertyName}" value; typed as JsonElement`,
      };
    }
    if (seen.has(wire)) {
      return {
        unsupported: `${keyword} has two branches with "${propertyName}" = "${wire}"; typed as JsonElement`,
      };
    }
    seen.add(wire);
    variants.push({ wire, branch });
  }
  return { propertyName, variants };
}
