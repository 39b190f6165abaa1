/**
 * The parameters older SDKs still send, checked with their own texts and translated into the
 * trees expressions produce, so one evaluator serves both: Expected (+ConditionalOperator) and
 * QueryFilter/ScanFilter into a Condition, KeyConditions into KeyConditions, AttributeUpdates into
 * an Update, AttributesToGet into a Projection. Texts and check order: dynalite validations
 * (validateAttributeConditions, validateConditions, updateItem.js, query.js) and its recorded tests.
 */
import type { AttributeType, AttributeValue } from "../attribute-value.ts";
import { typeOf } from "../attribute-value.ts";
import { compareValues, validateAttributeValue } from "../values.ts";
import type { Condition, Operand, Projection, Update, UpdateAction } from "./ast.ts";
import { invalid, legacyTexts } from "./errors.ts";
import type { ComparisonOperator, KeyConditions } from "./key-condition.ts";
import { checkKeyConditionCount } from "./key-condition.ts";

export interface ExpectedAttributeValue {
  readonly Value?: unknown;
  readonly Exists?: boolean;
  readonly ComparisonOperator?: string;
  readonly AttributeValueList?: readonly unknown[];
}

export interface LegacyCondition {
  readonly ComparisonOperator: string;
  readonly AttributeValueList?: readonly unknown[];
}

export interface AttributeValueUpdate {
  readonly Value?: unknown;
  readonly Action?: string;
}

/** Arguments each ComparisonOperator takes: an exact count, or "1 or more" for IN. */
const ARGUMENTS: Record<ComparisonOperator, number> = {
  EQ: 1,
  NE: 1,
  LE: 1,
  LT: 1,
  GE: 1,
  GT: 1,
  CONTAINS: 1,
  NOT_CONTAINS: 1,
  BEGINS_WITH: 1,
  NULL: 0,
  NOT_NULL: 0,
  IN: -1,
  BETWEEN: 2,
};

/** Value types each operator accepts in QueryFilter/ScanFilter/KeyConditions (dynalite-t). */
const SCALARS: readonly AttributeType[] = ["S", "N", "B"];
const ALLOWED: Partial<Record<ComparisonOperator, readonly AttributeType[]>> = {
  LT: SCALARS,
  LE: SCALARS,
  GT: SCALARS,
  GE: SCALARS,
  IN: SCALARS,
  BETWEEN: SCALARS,
  BEGINS_WITH: ["S", "B"],
  CONTAINS: ["S", "N", "B", "BOOL", "NULL"],
  NOT_CONTAINS: ["S", "N", "B", "BOOL", "NULL"],
};

function argumentsFit(operator: ComparisonOperator, count: number): boolean {
  const wanted = ARGUMENTS[operator];
  return wanted < 0 ? count > 0 : count === wanted;
}

/** Every value of one type. */
function checkValueList(values: readonly AttributeValue[]): void {
  const first = values[0];
  if (!first) return;
  if (values.some((value) => typeOf(value) !== typeOf(first))) throw invalid(legacyTexts.mixedTypes);
}

/** BETWEEN bounds in order. */
function checkBetween(operator: ComparisonOperator, values: readonly AttributeValue[]): void {
  const [low, high] = values;
  if (operator !== "BETWEEN" || !low || !high) return;
  const order = compareValues(low, high);
  if (order !== undefined && order > 0) throw invalid(legacyTexts.betweenOrder);
}

function conditionFor(
  name: string,
  operator: ComparisonOperator,
  values: readonly AttributeValue[],
): Condition {
  const path = [name];
  const subject: Operand = { kind: "path", path };
  const value = (i: number): Operand => ({ kind: "value", value: values[i] as AttributeValue });
  switch (operator) {
    case "EQ":
    case "NE":
    case "LT":
    case "LE":
    case "GT":
    case "GE": {
      const op = ({ EQ: "=", NE: "<>", LT: "<", LE: "<=", GT: ">", GE: ">=" } as const)[operator];
      return { kind: "compare", op, left: subject, right: value(0) };
    }
    case "NULL":
      return { kind: "notExists", path };
    case "NOT_NULL":
      return { kind: "exists", path };
    case "CONTAINS":
      return { kind: "contains", subject, operand: value(0) };
    case "NOT_CONTAINS":
      return { kind: "not", condition: { kind: "contains", subject, operand: value(0) } };
    case "BEGINS_WITH":
      return { kind: "beginsWith", subject, prefix: value(0) };
    case "IN":
      return { kind: "in", operand: subject, list: values.map((_, i) => value(i)) };
    case "BETWEEN":
      return { kind: "between", operand: subject, low: value(0), high: value(1) };
  }
}

function combine(conditions: Condition[], operator: string | undefined): Condition | undefined {
  const kind = operator === "OR" ? "or" : "and";
  return conditions.reduceRight<Condition | undefined>(
    (right, left) => (right ? { kind, left, right } : left),
    undefined,
  );
}

/** Expected + ConditionalOperator (PutItem, UpdateItem, DeleteItem). */
export function conditionFromExpected(
  expected: Readonly<Record<string, ExpectedAttributeValue>>,
  conditionalOperator?: string,
): Condition | undefined {
  const conditions: Condition[] = [];
  for (const [name, entry] of Object.entries(expected)) {
    const hasList = entry.AttributeValueList !== undefined;
    const hasValue = entry.Value !== undefined && entry.Value !== null;
    if (hasList && entry.Value !== undefined) throw invalid(legacyTexts.valueAndList(name));
    if (entry.ComparisonOperator !== undefined) {
      const operator = entry.ComparisonOperator as ComparisonOperator;
      if (entry.Exists !== undefined) throw invalid(legacyTexts.existsAndOperator(name));
      if (operator !== "NULL" && operator !== "NOT_NULL" && !hasList && !hasValue) {
        throw invalid(legacyTexts.operatorWithoutValue(operator, name));
      }
      const raw = hasList ? (entry.AttributeValueList ?? []) : hasValue ? [entry.Value] : [];
      if (!argumentsFit(operator, raw.length)) throw invalid(legacyTexts.argumentCount(operator));
      const values = raw.map(validateAttributeValue);
      checkValueList(values);
      checkBetween(operator, values);
      conditions.push(conditionFor(name, operator, values));
    } else if (hasList) {
      throw invalid(legacyTexts.listWithoutOperator(name));
    } else {
      const exists = entry.Exists ?? true;
      if (exists && !hasValue) throw invalid(legacyTexts.valueRequired(String(entry.Exists ?? null), name));
      if (!exists && hasValue) throw invalid(legacyTexts.valueWithNotExists(name));
      conditions.push(
        exists
          ? conditionFor(name, "EQ", [validateAttributeValue(entry.Value)])
          : conditionFor(name, "NULL", []),
      );
    }
  }
  return combine(conditions, conditionalOperator);
}

/** Checks one QueryFilter/ScanFilter/KeyConditions entry; returns its validated values. */
function checkedValues(condition: LegacyCondition): AttributeValue[] {
  const operator = condition.ComparisonOperator as ComparisonOperator;
  const values = (condition.AttributeValueList ?? []).map(validateAttributeValue);
  if (!argumentsFit(operator, values.length)) throw invalid(legacyTexts.argumentCount(operator));
  checkValueList(values);
  const allowed = ALLOWED[operator];
  const wrong = allowed ? values.find((value) => !allowed.includes(typeOf(value))) : undefined;
  if (wrong) throw invalid(legacyTexts.operatorType(operator, typeOf(wrong)));
  checkBetween(operator, values);
  return values;
}

/** QueryFilter / ScanFilter + ConditionalOperator. */
export function conditionFromFilter(
  filter: Readonly<Record<string, LegacyCondition>>,
  conditionalOperator?: string,
): Condition | undefined {
  const conditions = Object.entries(filter).map(([name, condition]) =>
    conditionFor(name, condition.ComparisonOperator as ComparisonOperator, checkedValues(condition)),
  );
  return combine(conditions, conditionalOperator);
}

/** KeyConditions of Query: checked like filters, then 1 or 2 of them. */
export function keyConditionsFromLegacy(
  keyConditions: Readonly<Record<string, LegacyCondition>>,
): KeyConditions {
  const result = new Map(
    Object.entries(keyConditions).map(([name, condition]) => [
      name,
      { operator: condition.ComparisonOperator as ComparisonOperator, values: checkedValues(condition) },
    ]),
  );
  checkKeyConditionCount(result);
  return result;
}

const SET_TYPES: readonly AttributeType[] = ["SS", "NS", "BS"];

/** AttributeUpdates of UpdateItem. */
export function updateFromAttributeUpdates(updates: Readonly<Record<string, AttributeValueUpdate>>): Update {
  const actions: UpdateAction[] = [];
  for (const [name, update] of Object.entries(updates)) {
    const value =
      update.Value === undefined || update.Value === null ? undefined : validateAttributeValue(update.Value);
    const action = update.Action ?? "PUT";
    if (!value && action !== "DELETE") throw invalid(legacyTexts.deleteOnly);
    const type = value ? typeOf(value) : undefined;
    if (type && action === "DELETE" && !SET_TYPES.includes(type)) throw invalid(legacyTexts.deleteType(type));
    if (type && action === "ADD" && !["L", "N", ...SET_TYPES].includes(type))
      throw invalid(legacyTexts.addType(type));
    const path = [name];
    if (action === "PUT")
      actions.push({ kind: "set", path, value: { kind: "value", value: value as AttributeValue } });
    else if (!value) actions.push({ kind: "remove", path });
    else actions.push({ kind: action === "ADD" ? "add" : "delete", path, value });
  }
  return { actions, legacy: true };
}

/** AttributesToGet, refusing duplicates. */
export function projectionFromAttributesToGet(names: readonly string[]): Projection {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw invalid(legacyTexts.duplicateAttributeName(name));
    seen.add(name);
  }
  return names.map((name) => [name]);
}
