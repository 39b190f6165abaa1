/**
 * The first check coral makes of an awsJson request: does each JSON value have the type the model
 * gives its member? The first mismatch, in document order, answers SerializationException with the
 * text of coral's deserializer; nothing else is checked.
 *
 * Texts per model type and JSON type, as recorded from DynamoDB by dynalite (validations/index.js
 * `checkTypes`, test/helpers.js `assertType`):
 * - string: true/false → `TRUE_VALUE cannot be converted to String` (FALSE_VALUE...); 23 →
 *   `NUMBER_VALUE cannot be converted to String`; 34.56 → `DECIMAL_VALUE ...`.
 * - boolean: numbers as above (`... to Boolean`); strings "true"/"1"/"yes" and "false"/"0"/"no" (any
 *   case) convert, any other string → `Unexpected token received from parser`.
 * - integer, long, double: booleans as above; strings → `STRING_VALUE cannot be converted to Long`.
 * - blob: booleans and numbers → `only base-64-encoded strings are convertible to bytes`; a string
 *   whose length is no multiple of 4 → `Base64 encoded length is expected a multiple of 4 bytes but
 *   found: 5`; other bad base64 → `Invalid last non-pad Base64 character dectected` (sic).
 * - any scalar given `[]` → `Unrecognized collection type class java.lang.String` (java.nio.ByteBuffer
 *   for blobs); given `{}` → `Start of structure or map found where not expected`.
 * - list or map given a scalar → `Unexpected field type` as a structure member, and
 *   `class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast ...` as a list
 *   element or map value; a list given `{}` → `Start of structure or map found where not expected`; a
 *   map given `[]` → `Unrecognized collection type java.util.Map<java.lang.String, <value type>>`.
 * - structure given a scalar → `Unexpected field type` as a member, `Unexpected value type in payload`
 *   as a list element or map value; given `[]` → `Unrecognized collection type class <package>.<Shape>`.
 *
 * Coercions coral makes and this module applies to the input in place: integral members truncate
 * fractions (34.56 → 34), boolean members accept the strings above; unknown members and members whose
 * value is `null` are dropped (coral ignores them: dynalite listTables "should return 200 if random
 * attributes are supplied" / "if null attributes are supplied").
 *
 * ## Gaps
 * - JSON.parse has already turned `2.0` into `2`, so such a value in a string member reads
 *   NUMBER_VALUE where coral says DECIMAL_VALUE.
 * - Timestamps accept numbers and pass strings through unchecked; coral's texts for them are not
 *   recorded. Out-of-range integers (beyond Java's int/long) are not detected.
 * - Java's Base64 decoder words some malformed inputs differently; every non-canonical base64 string
 *   here answers "Invalid last non-pad Base64 character dectected".
 * - Nesting deeper than `NESTING_DEPTH_MAX` answers Jackson's StreamReadConstraints text, which is
 *   not recorded from AWS.
 */
import type { Shape, StructureShape } from "../models/index.ts";
import { serializationException } from "./errors.ts";
import { javaTypeOf, type RenderContext } from "./render.ts";

/** Jackson's default maximum nesting depth (StreamReadConstraints, 2.15+); a guard for our stack too. */
export const NESTING_DEPTH_MAX = 1000;

const START_OF_STRUCTURE = "Start of structure or map found where not expected";
const UNEXPECTED_FIELD = "Unexpected field type";
const UNEXPECTED_VALUE = "Unexpected value type in payload";
const PARAMETERIZED_CAST =
  "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class " +
  "(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base " +
  "of loader 'bootstrap')";

const JAVA_NAMES: Record<string, string> = {
  string: "String",
  boolean: "Boolean",
  integer: "Integer",
  long: "Long",
  float: "Float",
  double: "Double",
  timestamp: "Date",
};

/** Where a value sits: a structure's member, or an element of a list / value of a map. */
type Position = "member" | "element";

class TypeMismatch extends Error {}

/**
 * Checks (and coerces, in place) a request against its input structure. Throws the
 * SerializationException coral answers for the first value of the wrong JSON type.
 */
export function checkTypes(ctx: RenderContext, shapeName: string, input: Record<string, unknown>): void {
  const shape = ctx.shapes[shapeName];
  if (shape?.type !== "structure") return;
  try {
    checkMembers(ctx, shape, input, 1);
  } catch (error) {
    if (error instanceof TypeMismatch) throw serializationException(error.message);
    throw error;
  }
}

function mismatch(text: string): TypeMismatch {
  return new TypeMismatch(text);
}

function checkMembers(
  ctx: RenderContext,
  shape: StructureShape,
  record: Record<string, unknown>,
  depth: number,
) {
  for (const name of Object.keys(record)) {
    const member = shape.members[name];
    const value = record[name];
    if (!member || value === null || value === undefined) {
      delete record[name];
      continue;
    }
    record[name] = checkValue(ctx, member.shape, value, "member", depth + 1);
  }
}

function checkValue(
  ctx: RenderContext,
  shapeName: string,
  value: unknown,
  position: Position,
  depth: number,
) {
  if (depth > NESTING_DEPTH_MAX) {
    throw mismatch(
      `Document nesting depth (${depth}) exceeds the maximum allowed (${NESTING_DEPTH_MAX}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`,
    );
  }
  const shape: Shape | undefined = ctx.shapes[shapeName];
  if (!shape || value === null) return value;
  switch (shape.type) {
    case "structure":
      return checkStructure(ctx, shapeName, shape, value, position, depth);
    case "list":
      return checkList(ctx, shape.member, value, position, depth);
    case "map":
      return checkMap(ctx, shapeName, shape.value, value, position, depth);
    case "string":
      return checkString(value);
    case "boolean":
      return checkBoolean(value);
    case "blob":
      return checkBlob(value);
    case "timestamp":
      return typeof value === "string" ? value : checkNumber(value, "timestamp");
    default:
      return checkNumber(value, shape.type);
  }
}

function checkStructure(
  ctx: RenderContext,
  shapeName: string,
  shape: StructureShape,
  value: unknown,
  position: Position,
  depth: number,
) {
  if (Array.isArray(value))
    throw mismatch(`Unrecognized collection type class ${ctx.javaPackage}.${shapeName}`);
  if (typeof value !== "object") throw mismatch(position === "member" ? UNEXPECTED_FIELD : UNEXPECTED_VALUE);
  checkMembers(ctx, shape, value as Record<string, unknown>, depth);
  return value;
}

function checkList(
  ctx: RenderContext,
  memberShape: string,
  value: unknown,
  position: Position,
  depth: number,
) {
  if (!Array.isArray(value)) {
    if (typeof value === "object") throw mismatch(START_OF_STRUCTURE);
    throw mismatch(position === "member" ? UNEXPECTED_FIELD : PARAMETERIZED_CAST);
  }
  for (let i = 0; i < value.length; i++)
    value[i] = checkValue(ctx, memberShape, value[i], "element", depth + 1);
  return value;
}

function checkMap(
  ctx: RenderContext,
  shapeName: string,
  valueShape: string,
  value: unknown,
  position: Position,
  depth: number,
) {
  if (Array.isArray(value)) {
    throw mismatch(`Unrecognized collection type ${javaTypeOf(ctx, shapeName)}`);
  }
  if (typeof value !== "object")
    throw mismatch(position === "member" ? UNEXPECTED_FIELD : PARAMETERIZED_CAST);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    record[key] = checkValue(ctx, valueShape, record[key], "element", depth + 1);
  }
  return value;
}

function scalarMismatch(value: unknown, javaName: string): TypeMismatch {
  if (Array.isArray(value)) return mismatch(`Unrecognized collection type class java.lang.${javaName}`);
  if (typeof value === "object") return mismatch(START_OF_STRUCTURE);
  if (typeof value === "boolean")
    return mismatch(`${value ? "TRUE" : "FALSE"}_VALUE cannot be converted to ${javaName}`);
  if (typeof value === "number") return mismatch(`${numberToken(value)} cannot be converted to ${javaName}`);
  return mismatch(`STRING_VALUE cannot be converted to ${javaName}`);
}

function numberToken(value: number): string {
  return Number.isInteger(value) ? "NUMBER_VALUE" : "DECIMAL_VALUE";
}

function checkString(value: unknown) {
  if (typeof value !== "string") throw scalarMismatch(value, "String");
  return value;
}

const TRUE_STRINGS = new Set(["TRUE", "1", "YES"]);
const FALSE_STRINGS = new Set(["FALSE", "0", "NO"]);

function checkBoolean(value: unknown) {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const upper = value.toUpperCase();
    if (TRUE_STRINGS.has(upper)) return true;
    if (FALSE_STRINGS.has(upper)) return false;
    throw mismatch("Unexpected token received from parser");
  }
  throw scalarMismatch(value, "Boolean");
}

function checkNumber(value: unknown, type: string) {
  const javaName = JAVA_NAMES[type] ?? "Double";
  if (typeof value !== "number") {
    if (type === "timestamp" && Array.isArray(value))
      throw mismatch("Unrecognized collection type class java.util.Date");
    throw scalarMismatch(value, javaName);
  }
  return type === "integer" || type === "long" ? Math.trunc(value) : value;
}

function checkBlob(value: unknown) {
  if (typeof value === "string") {
    if (value.length % 4 !== 0) {
      throw mismatch(`Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`);
    }
    if (Buffer.from(value, "base64").toString("base64") !== value) {
      throw mismatch("Invalid last non-pad Base64 character dectected");
    }
    return value;
  }
  if (Array.isArray(value)) throw mismatch("Unrecognized collection type class java.nio.ByteBuffer");
  if (typeof value === "object") throw mismatch(START_OF_STRUCTURE);
  throw mismatch("only base-64-encoded strings are convertible to bytes");
}
