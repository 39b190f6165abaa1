/**
 * Checks parsed update and projection expressions as DynamoDB does and builds the checked trees.
 *
 * Update errors, in DynamoDB's order (dynalite updateParser checkErrors; dynalite-t
 * test/updateItem.js): redundant parentheses; a reserved word; an unknown function (only
 * if_not_exists and list_append exist here); a clause used twice; an undefined #name; an undefined
 * :value; overlapping paths; conflicting paths; an ADD/DELETE value of the wrong type; then
 * function errors (operand count, if_not_exists without a path, list_append/+/- operand types).
 *
 * Projection errors: reserved word, undefined #name, overlapping paths, conflicting paths.
 */
import type { AttributeType } from "../attribute-value.ts";
import { typeOf } from "../attribute-value.ts";
import type { DocumentPath, Projection, Update, UpdateAction, UpdateValue } from "./ast.ts";
import type { ExpressionAttributes } from "./attributes.ts";
import {
  firstReserved,
  hasRedundantParens,
  pathsIn,
  resolvePath,
  resolveValue,
  undefinedReference,
} from "./check-shared.ts";
import { ExpressionError, expressionTexts } from "./errors.ts";
import { checkDistinctPaths } from "./paths.ts";
import type { RawAction, RawClause, RawOperand, RawPath } from "./syntax.ts";

const UPDATE_FUNCTIONS: Readonly<Record<string, number>> = { if_not_exists: 2, list_append: 2 };

/** How ADD/DELETE errors name types (dynalite-t: "operator: ADD, operand type: STRING"). */
const LONG_TYPE_NAMES: Partial<Record<AttributeType, string>> = {
  S: "STRING",
  N: "NUMBER",
  B: "BINARY",
  NULL: "NULL",
  BOOL: "BOOLEAN",
  L: "LIST",
  M: "MAP",
};

/** Operands of an action, in source order: the target path first. */
function operandsOf(action: RawAction): RawOperand[] {
  return action.kind === "remove" ? [action.path] : [action.path, action.value];
}

/** Calls and arithmetic in completion order (operands before the operator holding them). */
function* operatorsPostOrder(
  operand: RawOperand,
): Generator<Extract<RawOperand, { kind: "call" | "arith" }>> {
  if (operand.kind === "call") {
    for (const arg of operand.args) yield* operatorsPostOrder(arg);
    yield operand;
  } else if (operand.kind === "arith") {
    yield* operatorsPostOrder(operand.left);
    yield* operatorsPostOrder(operand.right);
    yield operand;
  }
}

export function checkUpdate(clauses: readonly RawClause[], attributes: ExpressionAttributes): Update {
  const actions = clauses.flatMap((clause) => clause.actions);
  const operands = actions.flatMap(operandsOf);
  const fail = (message: string): never => {
    throw new ExpressionError(message);
  };
  if (hasRedundantParens(operands)) fail(expressionTexts.redundantParentheses);
  const reserved = firstReserved(pathsIn(operands));
  if (reserved) fail(expressionTexts.reserved(reserved));
  for (const operand of operands) {
    for (const op of operatorsPostOrder(operand)) {
      if (op.kind === "call" && !(op.name in UPDATE_FUNCTIONS))
        fail(expressionTexts.unknownFunction(op.name));
    }
  }
  const seen = new Set<string>();
  for (const clause of clauses) {
    if (seen.has(clause.keyword)) fail(expressionTexts.sectionTwice(clause.keyword));
    seen.add(clause.keyword);
  }
  const undefinedName = undefinedReference([...pathsIn(operands)], attributes);
  if (undefinedName) fail(undefinedName);
  const undefinedValue = undefinedReference(operands, attributes);
  if (undefinedValue) fail(undefinedValue);
  const targets = actions.map((action) => resolvePath(action.path, attributes));
  checkDistinctPaths(targets);
  for (const action of actions) {
    if (action.kind !== "add" && action.kind !== "delete") continue;
    const type = typeOf(resolveValue(action.value.name, attributes));
    const allowed =
      type === "SS" || type === "NS" || type === "BS" || (action.kind === "add" && type === "N");
    if (!allowed)
      fail(expressionTexts.actionOperandType(action.kind.toUpperCase(), LONG_TYPE_NAMES[type] ?? type));
  }
  for (const action of actions) {
    if (action.kind !== "set") continue;
    for (const op of operatorsPostOrder(action.value)) {
      const message = operatorError(op, attributes);
      if (message) fail(message);
    }
  }
  return { actions: actions.map((action, i) => buildAction(action, targets[i] as DocumentPath, attributes)) };
}

function operatorError(
  op: Extract<RawOperand, { kind: "call" | "arith" }>,
  attributes: ExpressionAttributes,
): string | undefined {
  const name = op.kind === "arith" ? op.op : op.name;
  const args = op.kind === "arith" ? [op.left, op.right] : op.args;
  if (op.kind === "call" && args.length !== UPDATE_FUNCTIONS[op.name]) {
    return expressionTexts.operandCount(name, args.length);
  }
  if (name === "if_not_exists") return args[0]?.kind === "path" ? undefined : expressionTexts.needsPath(name);
  const wanted = name === "list_append" ? "L" : "N";
  for (const arg of args) {
    // Only literal values are typed before evaluation (dynalite getImmediateType).
    const value = arg.kind === "value" ? attributes.peekValue(arg.name) : undefined;
    const type = value ? typeOf(value) : undefined;
    if (type && type !== wanted) return expressionTexts.operandType(name, type);
  }
  return undefined;
}

function buildAction(action: RawAction, path: DocumentPath, attributes: ExpressionAttributes): UpdateAction {
  switch (action.kind) {
    case "set":
      return { kind: "set", path, value: buildValue(action.value, attributes) };
    case "remove":
      return { kind: "remove", path };
    case "add":
    case "delete":
      return { kind: action.kind, path, value: resolveValue(action.value.name, attributes) };
  }
}

function buildValue(operand: RawOperand, attributes: ExpressionAttributes): UpdateValue {
  switch (operand.kind) {
    case "path":
      return { kind: "path", path: resolvePath(operand, attributes) };
    case "value":
      return { kind: "value", value: resolveValue(operand.name, attributes) };
    case "arith":
      return {
        kind: operand.op === "+" ? "plus" : "minus",
        left: buildValue(operand.left, attributes),
        right: buildValue(operand.right, attributes),
      };
    case "call": {
      const [first, second] = operand.args as [RawOperand, RawOperand];
      if (operand.name === "if_not_exists") {
        return {
          kind: "ifNotExists",
          path: resolvePath(first as RawPath, attributes),
          fallback: buildValue(second, attributes),
        };
      }
      return {
        kind: "listAppend",
        left: buildValue(first, attributes),
        right: buildValue(second, attributes),
      };
    }
  }
}

export function checkProjection(paths: readonly RawPath[], attributes: ExpressionAttributes): Projection {
  const reserved = firstReserved(paths);
  if (reserved) throw new ExpressionError(expressionTexts.reserved(reserved));
  const undefinedName = undefinedReference(paths, attributes);
  if (undefinedName) throw new ExpressionError(undefinedName);
  const resolved = paths.map((path) => resolvePath(path, attributes));
  checkDistinctPaths(resolved);
  return resolved;
}
