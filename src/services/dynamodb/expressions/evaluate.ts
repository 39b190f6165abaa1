/**
 * Evaluates checked conditions against an item (AWS developer guide, "Condition and filter
 * expressions, operators, and functions"):
 *
 * - An operand naming a missing attribute has no value; any comparison with it is false except
 *   `<>`, which is true (so `#status <> :deleted` keeps items without a status), and
 *   attribute_not_exists.
 * - `<`, `<=`, `>`, `>=` and BETWEEN order S, N and B values of the same type only; otherwise false.
 * - `=` / `<>` / IN use DynamoDB equality (values.ts): numbers by value, sets regardless of order.
 * - begins_with: S prefix of S, or B byte-prefix of B. contains: substring of an S, member of a
 *   set of the operand's type, or element of a list equal to the operand.
 * - size(): see values.ts; on a missing attribute or an N/BOOL/NULL it has no value.
 */
import type { AttributeValue, Item } from "../attribute-value.ts";
import { typeOf } from "../attribute-value.ts";
import { compareValues, setContains, sizeOf, valuesEqual } from "../values.ts";
import type { Comparator, Condition, Operand } from "./ast.ts";
import { valueAt } from "./paths.ts";

export function operandValue(operand: Operand, item: Item): AttributeValue | undefined {
  switch (operand.kind) {
    case "path":
      return valueAt(item, operand.path);
    case "value":
      return operand.value;
    case "size": {
      const inner = operandValue(operand.operand, item);
      const size = inner === undefined ? undefined : sizeOf(inner);
      return size === undefined ? undefined : { N: String(size) };
    }
  }
}

export function compare(
  op: Comparator,
  left: AttributeValue | undefined,
  right: AttributeValue | undefined,
): boolean {
  if (op === "<>") return left === undefined || right === undefined || !valuesEqual(left, right);
  if (left === undefined || right === undefined) return false;
  if (op === "=") return valuesEqual(left, right);
  const order = compareValues(left, right);
  if (order === undefined) return false;
  switch (op) {
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    default:
      return order >= 0;
  }
}

function bytes(value: { B: string }): Buffer {
  return Buffer.from(value.B, "base64");
}

export function beginsWith(subject: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (!subject || !prefix) return false;
  if ("S" in subject && "S" in prefix) return subject.S.startsWith(prefix.S);
  if ("B" in subject && "B" in prefix) {
    const whole = bytes(subject);
    const start = bytes(prefix);
    return start.length <= whole.length && whole.subarray(0, start.length).equals(start);
  }
  return false;
}

export function contains(subject: AttributeValue | undefined, operand: AttributeValue | undefined): boolean {
  if (!subject || !operand) return false;
  if ("S" in subject) return "S" in operand && subject.S.includes(operand.S);
  if ("B" in subject) return "B" in operand && bytes(subject).includes(bytes(operand));
  if ("L" in subject) return subject.L.some((element) => valuesEqual(element, operand));
  return setContains(subject, operand);
}

export function evaluateCondition(condition: Condition, item: Item): boolean {
  const value = (operand: Operand) => operandValue(operand, item);
  switch (condition.kind) {
    case "and":
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case "or":
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
    case "not":
      return !evaluateCondition(condition.condition, item);
    case "compare":
      return compare(condition.op, value(condition.left), value(condition.right));
    case "between": {
      const subject = value(condition.operand);
      return compare(">=", subject, value(condition.low)) && compare("<=", subject, value(condition.high));
    }
    case "in": {
      const subject = value(condition.operand);
      return (
        subject !== undefined && condition.list.some((candidate) => compare("=", subject, value(candidate)))
      );
    }
    case "exists":
      return valueAt(item, condition.path) !== undefined;
    case "notExists":
      return valueAt(item, condition.path) === undefined;
    case "type": {
      const subject = valueAt(item, condition.path);
      return subject !== undefined && typeOf(subject) === condition.type;
    }
    case "beginsWith":
      return beginsWith(value(condition.subject), value(condition.prefix));
    case "contains":
      return contains(value(condition.subject), value(condition.operand));
  }
}
