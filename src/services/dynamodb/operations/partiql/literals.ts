/**
 * PartiQL values as DynamoDB attribute values: 'text' → S, numbers → N (canonical, exact; 1E3 is
 * "1000"), TRUE/FALSE → BOOL, NULL → NULL, [list] → L, {'key': value} → M, <<bag>> → SS or NS, and
 * `?` → the next entry of Parameters (already validated AttributeValues).
 *
 * DynamoDB's rules, recorded ([floci] eu-west-2 2026-09-17; [local]):
 * - A parameter may stand for a whole value, never inside a collection literal: "Unsupported data
 *   type: Parameter under key root[0] at 1:28:1".
 * - A bag holds strings only or numbers only ("Unsupported data type in Bag..."), is never empty
 *   ("Empty bags are not supported") and has no duplicates (numbers compared by value).
 * - Containers nest at most 31 deep: the 32nd reports the path of its first member ("Nesting Levels
 *   have exceeded supported limits under root.a.a...").
 * Paths in messages start at "root", the value being converted (an INSERT field's value, a SET's
 * right-hand side, a bag argument).
 */
import type { AttributeValue } from "../../attribute-value.ts";
import { validationError } from "../../errors.ts";
import { canonicalNumber, compareNumbers } from "../../numbers.ts";
import type { Expr } from "./syntax.ts";
import { at, partiqlTexts } from "./texts.ts";

/** Container nesting DynamoDB accepts in one attribute value. */
export const nestingDepthMax = 31;

export type Parameters = readonly AttributeValue[];

/** Whether an expression is a value (literal, parameter, collection, signed number) rather than a path or a call. */
export function isValueExpr(expr: Expr): boolean {
  switch (expr.kind) {
    case "string":
    case "number":
    case "boolean":
    case "null":
    case "param":
    case "list":
    case "bag":
    case "struct":
      return true;
    case "negate":
      return isValueExpr(expr.operand);
    default:
      return false;
  }
}

export function parameterAt(parameters: Parameters, index: number): AttributeValue {
  const value = parameters[index];
  if (value === undefined) throw validationError(partiqlTexts.parameterCount);
  return value;
}

/** Converts a value expression; `path` names it in messages, `depth` counts enclosing containers. */
export function toAttributeValue(
  expr: Expr,
  parameters: Parameters,
  path = "root",
  depth = 0,
): AttributeValue {
  switch (expr.kind) {
    case "string":
      return { S: expr.text };
    case "number":
      return { N: canonicalNumber(expr.text) };
    case "negate":
      return { N: canonicalNumber(negatedText(expr)) };
    case "boolean":
      return { BOOL: expr.value };
    case "null":
      return { NULL: true };
    case "missing":
      throw validationError(partiqlTexts.missingNotWithIs);
    case "param":
      if (depth > 0) throw validationError(partiqlTexts.parameterInCollection(path) + at(expr.at));
      return parameterAt(parameters, expr.index);
    case "list": {
      const childPath = (i: number) => `${path}[${i}]`;
      checkDepth(depth, childPath(0));
      return { L: expr.items.map((item, i) => toAttributeValue(item, parameters, childPath(i), depth + 1)) };
    }
    case "struct": {
      const map: Record<string, AttributeValue> = {};
      const first = expr.fields[0];
      if (first && first.key.kind === "string") checkDepth(depth, `${path}.${first.key.text}`);
      for (const field of expr.fields) {
        if (field.key.kind !== "string")
          throw validationError(partiqlTexts.tupleKeyType(typeName(field.key), path));
        const key = field.key.text;
        if (Object.hasOwn(map, key)) throw validationError(partiqlTexts.duplicateTupleKeys(key, path));
        map[key] = toAttributeValue(field.value, parameters, `${path}.${key}`, depth + 1);
      }
      return { M: map };
    }
    case "bag":
      return bagValue(expr.items, path, parameters);
    default:
      // Paths, calls and operators are not values.
      throw validationError(partiqlTexts.unsupportedDataType(typeName(expr), path) + at(expr.at));
  }
}

function checkDepth(depth: number, firstMemberPath: string): void {
  if (depth >= nestingDepthMax) throw validationError(partiqlTexts.tooDeep(firstMemberPath));
}

/** `- - 1` is 1, `-1.5` is -1.5: the sign folds into the number text. */
function negatedText(expr: Expr): string {
  let negative = false;
  let inner = expr;
  while (inner.kind === "negate") {
    negative = !negative;
    inner = inner.operand;
  }
  if (inner.kind !== "number")
    throw validationError(partiqlTexts.unsupportedDataType(typeName(inner), "root"));
  return negative ? `-${inner.text}` : inner.text;
}

function bagValue(items: readonly Expr[], path: string, parameters: Parameters): AttributeValue {
  if (items.length === 0) throw validationError(partiqlTexts.emptyBag);
  const members = items.map((item) => {
    if (item.kind === "param") throw validationError(partiqlTexts.mixedBag);
    if (!isValueExpr(item)) throw validationError(partiqlTexts.mixedBag);
    return {
      text: item.kind === "number" ? item.text : undefined,
      value: toAttributeValue(item, parameters),
    };
  });
  if (members.every((member) => "S" in member.value)) {
    const strings = members.map((member) => (member.value as { S: string }).S);
    if (new Set(strings).size !== strings.length)
      throw validationError(partiqlTexts.duplicateStrings(strings));
    return { SS: strings };
  }
  if (members.every((member) => "N" in member.value)) {
    const numbers = members.map((member) => (member.value as { N: string }).N);
    const duplicate = numbers.some((n, i) => numbers.slice(0, i).some((m) => compareNumbers(m, n) === 0));
    if (duplicate)
      throw validationError(
        partiqlTexts.duplicateNumbers(
          members.map((member, i) => member.text ?? (numbers[i] as string)),
          path,
        ),
      );
    return { NS: numbers };
  }
  throw validationError(partiqlTexts.mixedBag);
}

/** How DynamoDB names an expression's kind in "Unsupported data type" messages. */
function typeName(expr: Expr): string {
  switch (expr.kind) {
    case "param":
      return "Parameter";
    case "path":
      return "VariableReference";
    case "call":
      return "Call";
    case "number":
      return "DECIMAL";
    case "boolean":
      return "BOOL";
    default:
      return expr.kind.toUpperCase();
  }
}
