/**
 * UPDATE's SET and REMOVE clauses as an update of ../../expressions (ast.ts), applied by applyUpdate
 * exactly as an UpdateExpression is:
 *
 *   SET a = <value>                 SET a = <value>
 *   SET a = b, SET a = a + 1, a - 1 SET with a path / plus / minus
 *   SET a = list_append(x, y)       SET a = list_append(x, y)
 *   SET a = set_add(a, <<...>>)     ADD a <set>    (creates a missing set, [floci])
 *   SET a = set_delete(a, <<...>>)  DELETE a <set> (drops a set that empties, [floci])
 *   REMOVE a                        REMOVE a
 *
 * Checked before any item is read ([floci] 2026-09-17): + and - take numbers ("Incorrect operand type
 * for operator or function; operator or function: +, operand type: S"); set_add/set_delete name the
 * assigned path first and a set second, with the message's position.
 */
import type { AttributeValue } from "../../attribute-value.ts";
import { typeOf } from "../../attribute-value.ts";
import { validationError } from "../../errors.ts";
import type { DocumentPath, Update, UpdateAction, UpdateValue } from "../../expressions/index.ts";
import { pathsEqual } from "../../expressions/paths.ts";
import { documentPath } from "./conditions.ts";
import { isValueExpr, type Parameters, toAttributeValue } from "./literals.ts";
import type { Assignment, Expr } from "./syntax.ts";
import { at, partiqlTexts } from "./texts.ts";

export function toUpdate(assignments: readonly Assignment[], parameters: Parameters): Update {
  const actions: UpdateAction[] = assignments.map((assignment) => {
    const path = documentPath(assignment.target.steps);
    if (assignment.kind === "remove") return { kind: "remove", path };
    const value = assignment.value;
    if (value.kind === "call" && (value.name === "set_add" || value.name === "set_delete"))
      return setFunction(value, path, parameters);
    return { kind: "set", path, value: updateValue(value, parameters) };
  });
  return { actions };
}

function updateValue(expr: Expr, parameters: Parameters): UpdateValue {
  if (expr.kind === "path") return { kind: "path", path: documentPath(expr.steps) };
  if (expr.kind === "binary" && (expr.op === "+" || expr.op === "-")) {
    const left = updateValue(expr.left, parameters);
    const right = updateValue(expr.right, parameters);
    for (const side of [left, right]) {
      if (side.kind === "value" && !("N" in side.value))
        throw validationError(partiqlTexts.operandType(expr.op, typeOf(side.value)));
    }
    return { kind: expr.op === "+" ? "plus" : "minus", left, right };
  }
  if (expr.kind === "call" && expr.name === "list_append") {
    const [first, second] = expr.args;
    if (expr.args.length !== 2 || first === undefined || second === undefined)
      throw validationError(partiqlTexts.unrecognizedFunction(expr.name));
    return {
      kind: "listAppend",
      left: updateValue(first, parameters),
      right: updateValue(second, parameters),
    };
  }
  if (expr.kind === "call") throw validationError(partiqlTexts.unrecognizedFunction(expr.name));
  if (!isValueExpr(expr)) throw validationError(partiqlTexts.unsupportedConditionOperator(expr.kind));
  return { kind: "value", value: toAttributeValue(expr, parameters) };
}

function setFunction(
  call: Extract<Expr, { kind: "call" }>,
  path: DocumentPath,
  parameters: Parameters,
): UpdateAction {
  const fn = call.name === "set_add" ? "ADD" : "DELETE";
  const [first, second] = call.args;
  if (call.args.length !== 2 || first === undefined || second === undefined)
    throw validationError(partiqlTexts.setFunctionArguments(fn));
  if (first.kind !== "path" || !pathsEqual(documentPath(first.steps), path))
    throw validationError(partiqlTexts.setFunctionFirstArgument(fn) + at(call.at));
  const value: AttributeValue | undefined = isValueExpr(second)
    ? toAttributeValue(second, parameters)
    : undefined;
  if (value === undefined || !("SS" in value || "NS" in value || "BS" in value))
    throw validationError(partiqlTexts.setFunctionSecondArgument(fn) + at(first.at));
  return { kind: fn === "ADD" ? "add" : "delete", path, value };
}
