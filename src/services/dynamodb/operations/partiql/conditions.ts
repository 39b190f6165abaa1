/**
 * A PartiQL WHERE clause as a checked condition of ../../expressions (ast.ts), so that filtering and
 * conditional writes evaluate exactly as ConditionExpression/FilterExpression do (evaluateCondition).
 *
 * Mapping: comparisons, BETWEEN, IN, AND/OR/NOT, begins_with, contains, attribute_exists,
 * attribute_not_exists, attribute_type and size() map one to one; `x IS [NOT] MISSING` is
 * attribute_[not_]exists; `x IS NULL` is attribute_type(x, NULL) (a missing x is not NULL, [floci]);
 * IS BOOLEAN/STRING/NUMERIC/BLOB/STRUCT/TUPLE/LIST test the type likewise; `cond = TRUE` is `cond`.
 *
 * Static checks, in DynamoDB's words ([conformance], [floci]): an ordering operator (<, <=, >, >=,
 * BETWEEN) refuses a value of a type without order (BOOL, NULL, L, M, sets); IN takes at most 100
 * operands; attribute_type wants a type name it knows.
 */
import type { AttributeType, AttributeValue } from "../../attribute-value.ts";
import { typeOf } from "../../attribute-value.ts";
import { validationError } from "../../errors.ts";
import type { Comparator, Condition, DocumentPath, Operand } from "../../expressions/index.ts";
import { isAttributeType } from "../../values.ts";
import { isValueExpr, type Parameters, parameterAt, toAttributeValue } from "./literals.ts";
import type { Expr, PathStep } from "./syntax.ts";
import { at, partiqlTexts } from "./texts.ts";

/** The most operands IN takes ([floci]: 101 is refused). */
export const inOperandsMax = 100;
const listIndexMax = 2n ** 31n - 1n;

const ORDERED: readonly AttributeType[] = ["S", "N", "B"];
const IS_TYPES: Readonly<Record<string, AttributeType>> = {
  NULL: "NULL",
  BOOLEAN: "BOOL",
  STRING: "S",
  NUMERIC: "N",
  BLOB: "B",
  STRUCT: "M",
  TUPLE: "M",
  LIST: "L",
};

const TRUE: Condition = {
  kind: "compare",
  op: "=",
  left: { kind: "value", value: { BOOL: true } },
  right: { kind: "value", value: { BOOL: true } },
};
const FALSE: Condition = { kind: "not", condition: TRUE };

/** A document path of ../../expressions; list indexes must be 0..2^31-1 ([floci]). */
export function documentPath(steps: readonly PathStep[]): DocumentPath {
  return steps.map((step) => {
    if ("name" in step) return step.name;
    const index = /^-?\d+$/.test(step.index) ? BigInt(step.index) : -1n;
    if (index < 0n || index > listIndexMax)
      throw validationError(partiqlTexts.listIndexRange(step.index) + at(step.at));
    return Number(index);
  });
}

export function toCondition(expr: Expr, parameters: Parameters): Condition {
  switch (expr.kind) {
    case "binary":
      if (expr.op === "and" || expr.op === "or")
        return {
          kind: expr.op,
          left: toCondition(expr.left, parameters),
          right: toCondition(expr.right, parameters),
        };
      if (expr.op === "+" || expr.op === "-")
        throw validationError(partiqlTexts.unsupportedConditionOperator(expr.op));
      return comparison(expr.op, expr.left, expr.right, parameters);
    case "not":
      return { kind: "not", condition: toCondition(expr.operand, parameters) };
    case "between": {
      const operand = toOperand(expr.operand, parameters);
      const low = toOperand(expr.low, parameters);
      const high = toOperand(expr.high, parameters);
      for (const side of [operand, low, high]) checkOrdered("BETWEEN", side);
      const between: Condition = { kind: "between", operand, low, high };
      return expr.negated ? { kind: "not", condition: between } : between;
    }
    case "in": {
      if (expr.list.length > inOperandsMax)
        throw validationError(partiqlTexts.tooManyInOperands(expr.list.length));
      const inCondition: Condition = {
        kind: "in",
        operand: toOperand(expr.operand, parameters),
        list: expr.list.map((item) => toOperand(item, parameters)),
      };
      return expr.negated ? { kind: "not", condition: inCondition } : inCondition;
    }
    case "is":
      return isCondition(expr, parameters);
    case "call":
      return callCondition(expr, parameters);
    case "boolean":
      return expr.value ? TRUE : FALSE;
    default:
      throw validationError(partiqlTexts.whereNotBoolean);
  }
}

/** Whether an expression is a condition (so `cond = TRUE` compares a truth value). */
function isPredicate(expr: Expr): boolean {
  switch (expr.kind) {
    case "binary":
      return expr.op !== "+" && expr.op !== "-";
    case "not":
    case "between":
    case "in":
    case "is":
      return true;
    case "call":
      return expr.name !== "size";
    default:
      return false;
  }
}

function comparison(op: Comparator, left: Expr, right: Expr, parameters: Parameters): Condition {
  if (isPredicate(left) || isPredicate(right)) return truthComparison(op, left, right, parameters);
  const l = toOperand(left, parameters);
  const r = toOperand(right, parameters);
  if (op !== "=" && op !== "<>") {
    checkOrdered(op, l);
    checkOrdered(op, r);
  }
  return { kind: "compare", op, left: l, right: r };
}

/** `attribute_exists(a) = FALSE`, `(a = 1 OR b = 2) <> TRUE`: a condition compared with a truth value. */
function truthComparison(op: Comparator, left: Expr, right: Expr, parameters: Parameters): Condition {
  if (op !== "=" && op !== "<>") throw validationError(partiqlTexts.operandType(op, "BOOL"));
  const side = (expr: Expr): Condition | boolean | undefined => {
    if (isPredicate(expr)) return toCondition(expr, parameters);
    if (!isValueExpr(expr)) return undefined;
    const value = toAttributeValue(expr, parameters);
    return "BOOL" in value ? value.BOOL : undefined;
  };
  const l = side(left);
  const r = side(right);
  // A truth value against anything that is not one (a number, a string, an attribute) never holds.
  if (l === undefined || r === undefined) return op === "=" ? FALSE : TRUE;
  const asCondition = (x: Condition | boolean) => (typeof x === "boolean" ? (x ? TRUE : FALSE) : x);
  const both = (a: Condition, b: Condition): Condition => ({
    kind: "or",
    left: { kind: "and", left: a, right: b },
    right: { kind: "and", left: { kind: "not", condition: a }, right: { kind: "not", condition: b } },
  });
  const equal = both(asCondition(l), asCondition(r));
  return op === "=" ? equal : { kind: "not", condition: equal };
}

function checkOrdered(operator: string, operand: Operand): void {
  if (operand.kind !== "value") return;
  const type = typeOf(operand.value);
  if (!ORDERED.includes(type)) throw validationError(partiqlTexts.operandType(operator, type));
}

export function toOperand(expr: Expr, parameters: Parameters): Operand {
  if (expr.kind === "path") return { kind: "path", path: documentPath(expr.steps) };
  if (expr.kind === "call" && expr.name === "size") {
    const [argument] = expr.args;
    if (expr.args.length !== 1 || argument === undefined || argument.kind !== "path")
      throw validationError(partiqlTexts.unrecognizedFunction(expr.name));
    return { kind: "size", operand: { kind: "path", path: documentPath(argument.steps) } };
  }
  if (expr.kind === "call") throw validationError(partiqlTexts.unrecognizedFunction(expr.name));
  if (expr.kind === "binary") throw validationError(partiqlTexts.unsupportedConditionOperator(expr.op));
  return { kind: "value", value: toAttributeValue(expr, parameters) };
}

function isCondition(expr: Extract<Expr, { kind: "is" }>, parameters: Parameters): Condition {
  const wrap = (condition: Condition): Condition => (expr.negated ? { kind: "not", condition } : condition);
  if (expr.type === "MISSING") {
    if (expr.operand.kind === "path") {
      const path = documentPath(expr.operand.steps);
      return expr.negated ? { kind: "exists", path } : { kind: "notExists", path };
    }
    if (!isValueExpr(expr.operand)) throw validationError(partiqlTexts.isOperand);
    return wrap(FALSE);
  }
  const type = IS_TYPES[expr.type];
  if (type === undefined) throw validationError(partiqlTexts.unsupportedIsType(expr.type));
  if (expr.operand.kind === "path")
    return wrap({ kind: "type", path: documentPath(expr.operand.steps), type });
  if (!isValueExpr(expr.operand)) throw validationError(partiqlTexts.isOperand);
  return wrap(typeOf(toAttributeValue(expr.operand, parameters)) === type ? TRUE : FALSE);
}

function callCondition(expr: Extract<Expr, { kind: "call" }>, parameters: Parameters): Condition {
  const args = expr.args;
  const path = (arg: Expr | undefined, fn: string): DocumentPath => {
    if (arg?.kind === "path") return documentPath(arg.steps);
    const type = arg && isValueExpr(arg) ? typeOf(toAttributeValue(arg, parameters)) : "S";
    throw validationError(partiqlTexts.operandType(fn, type));
  };
  switch (expr.name) {
    case "attribute_exists":
    case "attribute_not_exists":
      return {
        kind: expr.name === "attribute_exists" ? "exists" : "notExists",
        path: path(args[0], expr.name),
      };
    case "attribute_type": {
      const target = path(args[0], expr.name);
      const typeArg = args[1];
      const typeValue: AttributeValue | undefined =
        typeArg && isValueExpr(typeArg) ? toAttributeValue(typeArg, parameters) : undefined;
      if (typeValue === undefined || !("S" in typeValue))
        throw validationError(partiqlTexts.operandType(expr.name, typeValue ? typeOf(typeValue) : "S"));
      if (!isAttributeType(typeValue.S)) throw validationError(partiqlTexts.badTypeName(typeValue.S));
      return { kind: "type", path: target, type: typeValue.S };
    }
    case "begins_with":
    case "contains": {
      const [subject, other] = args;
      if (subject === undefined || other === undefined)
        throw validationError(partiqlTexts.unrecognizedFunction(expr.name));
      const a = toOperand(subject, parameters);
      const b = toOperand(other, parameters);
      return expr.name === "begins_with"
        ? { kind: "beginsWith", subject: a, prefix: b }
        : { kind: "contains", subject: a, operand: b };
    }
    default:
      throw validationError(partiqlTexts.unrecognizedFunction(expr.name));
  }
}

/** Resolves `?` parameters of a plain value expression (used by key extraction). */
export function resolveValue(expr: Expr, parameters: Parameters): AttributeValue {
  return expr.kind === "param" ? parameterAt(parameters, expr.index) : toAttributeValue(expr, parameters);
}
