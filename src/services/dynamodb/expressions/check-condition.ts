/**
 * Checks a parsed condition (ConditionExpression, FilterExpression, KeyConditionExpression) the
 * way DynamoDB does and builds the checked tree. DynamoDB reports one error, chosen in this order
 * (dynalite conditionParser checkErrors, confirmed by its recorded tests):
 *
 *  1. redundant parentheses anywhere ("((a = :v))", "a > ((b))");
 *  2. an unknown function name (inner functions first), case-sensitive;
 *  3. a function used where it does not belong: a non-size function as an operand, size() as a
 *     condition;
 *  4. a reserved word used as an attribute name;
 *  5. then, for the first comparison/BETWEEN/IN/function (as written) that has any: an undefined
 *     #name or :value, a wrong operand count, identical first and second paths ("a = a"), and an
 *     operand of the wrong type (BETWEEN bounds included), in that priority.
 */
import type { AttributeType } from "../attribute-value.ts";
import { compareValues, describeValue, isAttributeType } from "../values.ts";
import type { Condition, Operand } from "./ast.ts";
import type { ExpressionAttributes } from "./attributes.ts";
import {
  firstReserved,
  hasRedundantParens,
  pathsIn,
  resolveOperand,
  resolvePath,
  resolveValue,
  staticType,
  undefinedReference,
} from "./check-shared.ts";
import { ExpressionError, expressionTexts } from "./errors.ts";
import { formatPath } from "./paths.ts";
import type { RawCall, RawCondition, RawOperand } from "./syntax.ts";

const FUNCTION_ARITY: Readonly<Record<string, number>> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};

type Atom = Exclude<RawCondition, { kind: "and" | "or" | "not" }>;

/** The comparisons, BETWEENs, INs and function conditions, as written. */
function* atoms(condition: RawCondition): Generator<Atom> {
  if (condition.kind === "and" || condition.kind === "or") {
    yield* atoms(condition.left);
    yield* atoms(condition.right);
  } else if (condition.kind === "not") {
    yield* atoms(condition.condition);
  } else {
    yield condition as Atom;
  }
}

function* conditionNodes(condition: RawCondition): Generator<RawCondition> {
  yield condition;
  if (condition.kind === "and" || condition.kind === "or") {
    yield* conditionNodes(condition.left);
    yield* conditionNodes(condition.right);
  } else if (condition.kind === "not") {
    yield* conditionNodes(condition.condition);
  }
}

function operandsOf(atom: Atom): RawOperand[] {
  switch (atom.kind) {
    case "compare":
      return [atom.left, atom.right];
    case "between":
      return [atom.operand, atom.low, atom.high];
    case "in":
      return [atom.operand, ...atom.list];
    case "function":
      return [atom.call];
  }
}

/** Function calls in completion order: arguments before the call that holds them. */
function* callsPostOrder(operand: RawOperand): Generator<RawCall> {
  if (operand.kind !== "call") return;
  for (const arg of operand.args) yield* callsPostOrder(arg);
  yield operand;
}

function misusedFunction(atom: Atom): string | undefined {
  const misusedIn = (args: readonly RawOperand[]) =>
    args.find((arg) => arg.kind === "call" && arg.name !== "size") as RawCall | undefined;
  const operands = operandsOf(atom);
  for (const operand of operands) {
    for (const call of callsPostOrder(operand)) {
      const misused = misusedIn(call.args);
      if (misused) return misused.name;
    }
  }
  if (atom.kind === "function") return atom.call.name === "size" ? "size" : undefined;
  return misusedIn(operands)?.name;
}

export function checkCondition(raw: RawCondition, attributes: ExpressionAttributes): Condition {
  const list = [...atoms(raw)];
  const allOperands = list.flatMap(operandsOf);
  if ([...conditionNodes(raw)].some((node) => node.parens > 1) || hasRedundantParens(allOperands)) {
    throw new ExpressionError(expressionTexts.redundantParentheses);
  }
  for (const operand of allOperands) {
    for (const call of callsPostOrder(operand)) {
      if (!(call.name in FUNCTION_ARITY))
        throw new ExpressionError(expressionTexts.unknownFunction(call.name));
    }
  }
  for (const atom of list) {
    const misused = misusedFunction(atom);
    if (misused) throw new ExpressionError(expressionTexts.misusedFunction(misused));
  }
  const reserved = firstReserved(pathsIn(allOperands));
  if (reserved) throw new ExpressionError(expressionTexts.reserved(reserved));
  for (const atom of list) {
    const message = atomError(atom, attributes);
    if (message) throw new ExpressionError(message);
  }
  return build(raw, attributes);
}

function atomError(atom: Atom, attributes: ExpressionAttributes): string | undefined {
  const operands = operandsOf(atom);
  const calls = operands.flatMap((operand) => [...callsPostOrder(operand)]);
  return (
    undefinedReference(operands, attributes) ??
    firstOf(calls, (call) => operandCountError(call)) ??
    distinctError(atom, calls, attributes) ??
    firstOf(calls, (call) => functionTypeError(call, attributes)) ??
    (atom.kind === "between" ? betweenError(atom.low, atom.high, attributes) : undefined)
  );
}

function firstOf<T>(list: readonly T[], check: (item: T) => string | undefined): string | undefined {
  for (const item of list) {
    const message = check(item);
    if (message) return message;
  }
  return undefined;
}

function operandCountError(call: RawCall): string | undefined {
  const arity = FUNCTION_ARITY[call.name];
  return arity === call.args.length ? undefined : expressionTexts.operandCount(call.name, call.args.length);
}

/** "a = a", "contains(x, x)": the first two operands may not be the same path. */
function distinctError(
  atom: Atom,
  calls: readonly RawCall[],
  attributes: ExpressionAttributes,
): string | undefined {
  const pairs: [string, RawOperand | undefined, RawOperand | undefined][] = calls
    .filter((call) => call.args.length === 2)
    .map((call) => [call.name, call.args[0], call.args[1]]);
  if (atom.kind === "compare") pairs.push([atom.op, atom.left, atom.right]);
  for (const [op, first, second] of pairs) {
    if (first?.kind !== "path" || second?.kind !== "path") continue;
    const one = resolvePath(first, attributes);
    const two = resolvePath(second, attributes);
    if (one.length === two.length && one.every((part, i) => part === two[i])) {
      return expressionTexts.notDistinct(op, formatPath(one));
    }
  }
  return undefined;
}

function functionTypeError(call: RawCall, attributes: ExpressionAttributes): string | undefined {
  const [first, second] = call.args;
  switch (call.name) {
    case "attribute_exists":
    case "attribute_not_exists":
      return first?.kind === "path" ? undefined : expressionTexts.needsPath(call.name);
    case "begins_with":
      for (const arg of call.args) {
        const type = staticType(arg, attributes);
        if (type && type !== "S" && type !== "B") return expressionTexts.operandType(call.name, type);
      }
      return undefined;
    case "attribute_type": {
      const type = second ? staticType(second, attributes) : undefined;
      if (type !== "S") return expressionTexts.operandType(call.name, type ?? expressionTexts.anyType);
      const name = second?.kind === "value" ? attributes.peekValue(second.name) : undefined;
      const typeName = name && "S" in name ? name.S : "";
      return isAttributeType(typeName) ? undefined : expressionTexts.badTypeName(typeName);
    }
    case "size": {
      const type = first ? staticType(first, attributes) : undefined;
      return type === "N" || type === "BOOL" || type === "NULL"
        ? expressionTexts.operandType(call.name, type)
        : undefined;
    }
    default:
      return undefined;
  }
}

/** BETWEEN with two literal bounds: same type, and low <= high. */
function betweenError(
  low: RawOperand,
  high: RawOperand,
  attributes: ExpressionAttributes,
): string | undefined {
  if (low.kind !== "value" || high.kind !== "value") return undefined;
  const a = attributes.peekValue(low.name);
  const b = attributes.peekValue(high.name);
  if (!a || !b) return undefined;
  if (staticType(low, attributes) !== staticType(high, attributes)) {
    return expressionTexts.betweenTypes(describeValue(a), describeValue(b));
  }
  const order = compareValues(a, b);
  return order !== undefined && order > 0
    ? expressionTexts.betweenOrder(describeValue(a), describeValue(b))
    : undefined;
}

function build(raw: RawCondition, attributes: ExpressionAttributes): Condition {
  const operand = (o: RawOperand): Operand => resolveOperand(o, attributes);
  switch (raw.kind) {
    case "and":
    case "or":
      return { kind: raw.kind, left: build(raw.left, attributes), right: build(raw.right, attributes) };
    case "not":
      return { kind: "not", condition: build(raw.condition, attributes) };
    case "compare":
      return { kind: "compare", op: raw.op, left: operand(raw.left), right: operand(raw.right) };
    case "between":
      return {
        kind: "between",
        operand: operand(raw.operand),
        low: operand(raw.low),
        high: operand(raw.high),
      };
    case "in":
      return { kind: "in", operand: operand(raw.operand), list: raw.list.map(operand) };
    case "function":
      return buildFunction(raw.call, attributes);
  }
}

function buildFunction(call: RawCall, attributes: ExpressionAttributes): Condition {
  const [first, second] = call.args as [RawOperand, RawOperand];
  const path = () => resolvePath(first as Extract<RawOperand, { kind: "path" }>, attributes);
  switch (call.name) {
    case "attribute_exists":
      return { kind: "exists", path: path() };
    case "attribute_not_exists":
      return { kind: "notExists", path: path() };
    case "attribute_type": {
      const type = resolveValue((second as Extract<RawOperand, { kind: "value" }>).name, attributes);
      return { kind: "type", path: path(), type: ("S" in type ? type.S : "S") as AttributeType };
    }
    case "begins_with":
      return {
        kind: "beginsWith",
        subject: resolveOperand(first, attributes),
        prefix: resolveOperand(second, attributes),
      };
    default:
      return {
        kind: "contains",
        subject: resolveOperand(first, attributes),
        operand: resolveOperand(second, attributes),
      };
  }
}
