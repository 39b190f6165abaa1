/**
 * Walks over raw syntax trees shared by the condition, update and projection checks: redundant
 * parentheses, reserved words, undefined #names/:values, and turning raw paths and operands into
 * checked ones. Every walk visits nodes in source order, because DynamoDB reports the first
 * offender as written (dynalite-t: "attribute_exists(#Pictures.RearView, :a)" names #Pictures).
 */
import type { AttributeType, AttributeValue } from "../attribute-value.ts";
import { typeOf } from "../attribute-value.ts";
import type { DocumentPath, Operand, PathElement } from "./ast.ts";
import type { ExpressionAttributes } from "./attributes.ts";
import { ExpressionError, expressionTexts } from "./errors.ts";
import { isReservedWord } from "./reserved-words.ts";
import type { RawOperand, RawPath } from "./syntax.ts";

/** Every operand inside `operand` (itself included), parents before children, left to right. */
export function* operandsIn(operand: RawOperand): Generator<RawOperand> {
  yield operand;
  if (operand.kind === "call") for (const arg of operand.args) yield* operandsIn(arg);
  if (operand.kind === "arith") {
    yield* operandsIn(operand.left);
    yield* operandsIn(operand.right);
  }
}

export function hasRedundantParens(operands: Iterable<RawOperand>): boolean {
  for (const operand of operands) for (const inner of operandsIn(operand)) if (inner.parens > 1) return true;
  return false;
}

/** The first reserved word used as a bare attribute name, as written. */
export function firstReserved(paths: Iterable<RawPath>): string | undefined {
  for (const path of paths) {
    for (const part of path.parts) if (part.kind === "id" && isReservedWord(part.name)) return part.name;
  }
  return undefined;
}

/** Paths inside operands, in source order. */
export function* pathsIn(operands: Iterable<RawOperand>): Generator<RawPath> {
  for (const operand of operands)
    for (const inner of operandsIn(operand)) if (inner.kind === "path") yield inner;
}

/** The first #name or :value not supplied, as DynamoDB words it. */
export function undefinedReference(
  operands: Iterable<RawOperand>,
  attributes: ExpressionAttributes,
): string | undefined {
  for (const operand of operands) {
    for (const inner of operandsIn(operand)) {
      if (inner.kind === "value" && !attributes.hasValue(inner.name))
        return expressionTexts.undefinedValue(inner.name);
      if (inner.kind !== "path") continue;
      for (const part of inner.parts) {
        if (part.kind === "name" && !attributes.hasName(part.name))
          return expressionTexts.undefinedName(part.name);
      }
    }
  }
  return undefined;
}

/** Substitutes #names (marking them used). Call only after undefinedReference found nothing. */
export function resolvePath(path: RawPath, attributes: ExpressionAttributes): DocumentPath {
  return path.parts.map((part): PathElement => {
    if (part.kind === "index") return part.index;
    if (part.kind === "id") return part.name;
    const name = attributes.name(part.name);
    if (name === undefined) throw new ExpressionError(expressionTexts.undefinedName(part.name));
    return name;
  });
}

export function resolveValue(name: string, attributes: ExpressionAttributes): AttributeValue {
  const value = attributes.value(name);
  if (value === undefined) throw new ExpressionError(expressionTexts.undefinedValue(name));
  return value;
}

/** Path, value or size(...) operands of conditions. */
export function resolveOperand(operand: RawOperand, attributes: ExpressionAttributes): Operand {
  switch (operand.kind) {
    case "path":
      return { kind: "path", path: resolvePath(operand, attributes) };
    case "value":
      return { kind: "value", value: resolveValue(operand.name, attributes) };
    case "call":
      // Only size() survives the checks as an operand.
      return { kind: "size", operand: resolveOperand(operand.args[0] as RawOperand, attributes) };
    case "arith":
      throw new Error("arithmetic outside an update expression");
  }
}

/** The type an operand is known to have before evaluation: a value's, or a function's result. */
export function staticType(operand: RawOperand, attributes: ExpressionAttributes): AttributeType | undefined {
  if (operand.kind === "value") {
    const value = attributes.peekValue(operand.name);
    return value ? typeOf(value) : undefined;
  }
  if (operand.kind !== "call") return undefined;
  if (operand.name === "size") return "N";
  return operand.name === "attribute_exists" || operand.name === "attribute_not_exists" ? undefined : "BOOL";
}
