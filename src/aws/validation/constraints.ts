/**
 * Coral's second check: the model's constraints (required members, lengths, value ranges, patterns,
 * enums), collected over the whole request into one ValidationException.
 *
 * Recorded wording (DynamoDB; dynalite test/*.js and nubo-db/dynamodb-conformance tests/tier3):
 * - `Value null at 'tableName' failed to satisfy constraint: Member must not be null`
 * - `Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length
 *   greater than or equal to 3` (`less than or equal to` for max); numbers `Member must have value ...`
 * - `Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`
 * - `Member must satisfy enum value set: [HASH, RANGE]`
 * - paths in lowerCamelCase; list elements `keySchema.1.member.keyType` (1-based), map values
 *   `requestItems.aa;.member.1.member.deleteRequest.key`
 * - a map's keys and values are judged at the map, listing every constraint of the key or value shape:
 *   `Value '{a=[]}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint:
 *   [Member must have length less than or equal to 255, Member must have length greater than or equal
 *   to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]`, and `Map value must
 *   satisfy constraint: [...]` (recorded from AWS in risingwavelabs/risingwave#17572).
 *
 * Order: members in the model's order, each one's own violations (pattern, min, max, enum, as dynalite
 * writes them) before its children's; the constraint lists of "Map keys"/"Map value" in AWS's recorded
 * order (max, min, pattern). AWS's order of violations is not stable (dynalite's recorded messages list
 * the same violations in different orders and its tests compare them as sets), so ours is
 * deterministic rather than AWS's.
 *
 * ## Gaps
 * - Union shapes are not checked for "exactly one member".
 * - Java patterns JavaScript cannot compile (possessive quantifiers, `\p{javaLowerCase}`...) are
 *   skipped.
 */
import type { Shape, StructureShape } from "../models/index.ts";
import { VIOLATIONS_LISTED_MAX, violation } from "./errors.ts";
import { lowerFirst, quotedValue, type RenderContext } from "./render.ts";

export type ConstraintKind = "required" | "min" | "max" | "pattern" | "enum" | "keys" | "values";

export interface ConstraintContext extends RenderContext {
  /** The shape whose constraints AWS applies to `value` where the model says `shapeName`. */
  constraintShape(shapeName: string, value: unknown): string;
  /** The enum values in the order AWS lists them. */
  enumOrder(shapeName: string, values: readonly string[]): readonly string[];
  /** Constraints the service checks itself, in its own words, instead of coral. */
  suppressed(path: string, kind: ConstraintKind): boolean;
  /** A compiled Java pattern (whole-string match), or undefined where JavaScript cannot express it. */
  regex(pattern: string): RegExp | undefined;
}

interface Failure {
  kind: ConstraintKind;
  text: string;
}

/** The violations of the input structure's constraints, in order, up to the ten coral lists. */
export function checkConstraints(
  ctx: ConstraintContext,
  shapeName: string,
  input: Record<string, unknown>,
): string[] {
  const shape = ctx.shapes[shapeName];
  const out: string[] = [];
  if (shape?.type === "structure") checkStructure(ctx, shape, input, "", out);
  return out;
}

/** The violations of one value against a shape's constraints at `path` (children included). */
export function checkValueConstraints(
  ctx: ConstraintContext,
  shapeName: string,
  value: unknown,
  path: string,
): string[] {
  const out: string[] = [];
  checkValue(ctx, shapeName, value, path, true, out);
  return out;
}

function full(out: string[]): boolean {
  return out.length >= VIOLATIONS_LISTED_MAX;
}

function checkStructure(
  ctx: ConstraintContext,
  shape: StructureShape,
  record: Record<string, unknown>,
  path: string,
  out: string[],
) {
  for (const member of membersOf(shape)) {
    if (full(out)) return;
    const value = record[member.name];
    if (value === undefined || value === null) {
      if (!member.required) continue;
      const memberPath = path ? `${path}.${member.pathName}` : member.pathName;
      if (!ctx.suppressed(memberPath, "required")) {
        out.push(violation("null", memberPath, "Member must not be null"));
      }
      continue;
    }
    const memberPath = path ? `${path}.${member.pathName}` : member.pathName;
    checkValue(ctx, member.shape, value, memberPath, true, out);
  }
}

interface MemberInfo {
  name: string;
  shape: string;
  /** The member's name as it appears in violation paths. */
  pathName: string;
  required: boolean;
}

/**
 * A structure's members, in model order, with what checkStructure needs of each worked out once per
 * shape instead of once per request (a Set of the required names, Object.entries, lowerFirst): most
 * members are absent from a given request and now cost one property read.
 */
const memberInfos = new WeakMap<StructureShape, readonly MemberInfo[]>();

function membersOf(shape: StructureShape): readonly MemberInfo[] {
  let infos = memberInfos.get(shape);
  if (infos === undefined) {
    const required = new Set(shape.required ?? []);
    infos = Object.entries(shape.members).map(([name, member]) => ({
      name,
      shape: member.shape,
      pathName: lowerFirst(name),
      required: required.has(name),
    }));
    memberInfos.set(shape, infos);
  }
  return infos;
}

function checkValue(
  ctx: ConstraintContext,
  modelShape: string,
  value: unknown,
  path: string,
  own: boolean,
  out: string[],
) {
  const shapeName = ctx.constraintShape(modelShape, value);
  const shape = ctx.shapes[shapeName];
  if (!shape) return;
  if (own) {
    for (const failure of failures(ctx, shapeName, shape, value)) {
      if (!ctx.suppressed(path, failure.kind))
        out.push(violation(quotedValue(ctx, shapeName, value), path, failure.text));
    }
  }
  if (full(out)) return;
  if (shape.type === "structure" && isRecord(value) && !shape.document) {
    checkStructure(ctx, shape, value, path, out);
  } else if (shape.type === "list" && Array.isArray(value)) {
    for (let i = 0; i < value.length && !full(out); i++) {
      if (value[i] !== null) checkValue(ctx, shape.member, value[i], `${path}.${i + 1}.member`, true, out);
    }
  } else if (shape.type === "map" && isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (full(out)) return;
      judgeMapPart(ctx, "keys", shape.key, key, shapeName, value, path, out);
      if (item === null) continue;
      judgeMapPart(ctx, "values", shape.value, item, shapeName, value, path, out);
      checkValue(ctx, shape.value, item, `${path}.${key}.member`, false, out);
    }
  }
}

/** A map key or value that breaks its shape's constraints is reported at the map, listing them all. */
function judgeMapPart(
  ctx: ConstraintContext,
  kind: "keys" | "values",
  modelShape: string,
  part: unknown,
  mapShape: string,
  map: unknown,
  path: string,
  out: string[],
) {
  const shapeName = ctx.constraintShape(modelShape, part);
  const shape = ctx.shapes[shapeName];
  if (!shape || failures(ctx, shapeName, shape, part).length === 0 || ctx.suppressed(path, kind)) return;
  const all = constraintTexts(ctx, shapeName, shape).join(", ");
  const label = kind === "keys" ? "Map keys must satisfy constraint" : "Map value must satisfy constraint";
  out.push(violation(quotedValue(ctx, mapShape, map), path, `${label}: [${all}]`));
}

/** The constraints `value` breaks: pattern, min, max, enum (the order dynalite writes AWS's texts in). */
function failures(ctx: ConstraintContext, shapeName: string, shape: Shape, value: unknown): Failure[] {
  const out: Failure[] = [];
  const measured = measure(shape, value);
  if (measured === undefined) return out;
  const unit = isNumeric(shape) ? "value" : "length";
  if (shape.pattern !== undefined && typeof value === "string") {
    const regex = ctx.regex(shape.pattern);
    if (regex && !regex.test(value)) out.push({ kind: "pattern", text: patternText(shape.pattern) });
  }
  if (shape.min !== undefined && measured < shape.min) {
    out.push({ kind: "min", text: `Member must have ${unit} greater than or equal to ${shape.min}` });
  }
  if (shape.max !== undefined && measured > shape.max) {
    out.push({ kind: "max", text: `Member must have ${unit} less than or equal to ${shape.max}` });
  }
  if (shape.enum !== undefined && typeof value === "string" && !shape.enum.includes(value)) {
    out.push({ kind: "enum", text: enumText(ctx, shapeName, shape.enum) });
  }
  return out;
}

/** Every constraint of a shape, worded, whether broken or not ("Map keys must satisfy ..."). */
function constraintTexts(ctx: ConstraintContext, shapeName: string, shape: Shape): string[] {
  const unit = isNumeric(shape) ? "value" : "length";
  const out: string[] = [];
  if (shape.max !== undefined) out.push(`Member must have ${unit} less than or equal to ${shape.max}`);
  if (shape.min !== undefined) out.push(`Member must have ${unit} greater than or equal to ${shape.min}`);
  if (shape.pattern !== undefined) out.push(patternText(shape.pattern));
  if (shape.enum !== undefined) out.push(enumText(ctx, shapeName, shape.enum));
  return out;
}

function patternText(pattern: string): string {
  return `Member must satisfy regular expression pattern: ${pattern}`;
}

function enumText(ctx: ConstraintContext, shapeName: string, values: readonly string[]): string {
  return `Member must satisfy enum value set: [${ctx.enumOrder(shapeName, values).join(", ")}]`;
}

function isNumeric(shape: Shape): boolean {
  return (
    shape.type === "integer" || shape.type === "long" || shape.type === "float" || shape.type === "double"
  );
}

/** The number a shape's min/max bound: a value, or a length (UTF-16 units, bytes, elements, entries). */
function measure(shape: Shape, value: unknown): number | undefined {
  if (isNumeric(shape)) return typeof value === "number" ? value : undefined;
  if (typeof value === "string")
    return shape.type === "blob" ? Buffer.byteLength(value, "base64") : value.length;
  if (Array.isArray(value)) return value.length;
  if (isRecord(value)) return Object.keys(value).length;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
