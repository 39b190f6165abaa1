/**
 * Key conditions of Query: a checked KeyConditionExpression (or legacy KeyConditions) becomes one
 * condition per key attribute, then is matched against the key schema of the table or index.
 *
 * Step 1, without the table (keyConditionsFromExpression), DynamoDB's texts and order (dynalite
 * validations convertKeyCondition; dynalite-t test/query.js): OR, NOT, IN, <> and the functions
 * other than begins_with are "Invalid operator used in KeyConditionExpression"; size() is a
 * "nested operation"; BETWEEN/begins_with need the key first; each condition names exactly one
 * top-level attribute, once; a value on the left flips the comparator (":lo <= #sk" is sk >= :lo,
 * conformance keyConditionSemantics); then there must be 1 or 2 conditions.
 *
 * Step 2, with the schema (analyseKeyConditions; dynalite actions/query.js; conformance): the
 * partition key by equality, the sort key optionally by =, <, <=, >, >=, BETWEEN or begins_with.
 */
import type { AttributeValue } from "../attribute-value.ts";
import { typeOf } from "../attribute-value.ts";
import type { Comparator, Condition, Operand } from "./ast.ts";
import { invalid, keyTexts } from "./errors.ts";
import { beginsWith, compare } from "./evaluate.ts";

/** The legacy ComparisonOperator names; expressions produce the first seven. */
export type ComparisonOperator =
  | "EQ"
  | "LT"
  | "LE"
  | "GT"
  | "GE"
  | "BETWEEN"
  | "BEGINS_WITH"
  | "NE"
  | "IN"
  | "NULL"
  | "NOT_NULL"
  | "CONTAINS"
  | "NOT_CONTAINS";

export interface KeyCondition {
  readonly operator: ComparisonOperator;
  readonly values: readonly AttributeValue[];
}

/** Attribute name -> its condition, in the order written. */
export type KeyConditions = ReadonlyMap<string, KeyCondition>;

export interface KeyAttribute {
  readonly name: string;
  readonly type: "S" | "N" | "B";
}

export interface KeySchema {
  readonly hash: KeyAttribute;
  readonly range?: KeyAttribute;
}

export type SortKeyOperator = "EQ" | "LT" | "LE" | "GT" | "GE" | "BETWEEN" | "BEGINS_WITH";

export interface KeyQuery {
  readonly partition: { readonly name: string; readonly value: AttributeValue };
  readonly sort?: {
    readonly name: string;
    readonly operator: SortKeyOperator;
    readonly values: readonly AttributeValue[];
  };
}

const OPERATORS: Record<Comparator, ComparisonOperator> = {
  "=": "EQ",
  "<": "LT",
  "<=": "LE",
  ">": "GT",
  ">=": "GE",
  "<>": "NE",
};
const FLIPPED: Partial<Record<ComparisonOperator, ComparisonOperator>> = {
  LT: "GT",
  LE: "GE",
  GT: "LT",
  GE: "LE",
};
const FUNCTION_NAMES: Partial<Record<Condition["kind"], string>> = {
  exists: "attribute_exists",
  notExists: "attribute_not_exists",
  type: "attribute_type",
  contains: "contains",
};

export function keyConditionsFromExpression(condition: Condition): KeyConditions {
  const conditions = new Map<string, KeyCondition>();
  collect(condition, conditions);
  checkKeyConditionCount(conditions);
  return conditions;
}

export function checkKeyConditionCount(conditions: KeyConditions): void {
  if (conditions.size !== 1 && conditions.size !== 2) throw invalid(keyTexts.count);
}

function collect(condition: Condition, into: Map<string, KeyCondition>): void {
  switch (condition.kind) {
    case "and":
      collect(condition.left, into);
      collect(condition.right, into);
      return;
    case "or":
    case "not":
    case "in":
      throw invalid(keyTexts.invalidOperator(condition.kind.toUpperCase()));
    case "exists":
    case "notExists":
    case "type":
    case "contains":
      throw invalid(keyTexts.invalidOperator(FUNCTION_NAMES[condition.kind] as string));
    case "compare":
      if (condition.op === "<>") throw invalid(keyTexts.invalidOperator("<>"));
      record([condition.left, condition.right], OPERATORS[condition.op], into);
      return;
    case "between":
      if (condition.operand.kind !== "path") throw invalid(keyTexts.keyFirst("BETWEEN"));
      record([condition.operand, condition.low, condition.high], "BETWEEN", into);
      return;
    case "beginsWith":
      if (condition.subject.kind !== "path") throw invalid(keyTexts.keyFirst("begins_with"));
      record([condition.subject, condition.prefix], "BEGINS_WITH", into);
      return;
  }
}

function record(
  operands: readonly Operand[],
  operator: ComparisonOperator,
  into: Map<string, KeyCondition>,
): void {
  let name: string | undefined;
  let position = 0;
  const values: AttributeValue[] = [];
  operands.forEach((operand, i) => {
    if (operand.kind === "size") throw invalid(keyTexts.nestedOperation);
    if (operand.kind === "value") {
      values.push(operand.value);
      return;
    }
    if (name !== undefined) throw invalid(keyTexts.multipleNames);
    if (operand.path.length > 1) throw invalid(keyTexts.nestedAttribute);
    name = operand.path[0] as string;
    position = i;
  });
  if (name === undefined) throw invalid(keyTexts.noKeyAttribute);
  if (into.has(name)) throw invalid(keyTexts.onePerKey);
  into.set(name, { operator: position === 0 ? operator : (FLIPPED[operator] ?? operator), values });
}

const NOT_INDEXABLE: readonly ComparisonOperator[] = [
  "NULL",
  "NOT_NULL",
  "NE",
  "CONTAINS",
  "NOT_CONTAINS",
  "IN",
];

/** Matches key conditions to a table's or index's key schema. */
export function analyseKeyConditions(conditions: KeyConditions, schema: KeySchema): KeyQuery {
  const keys = schema.range ? [schema.hash, schema.range] : [schema.hash];
  for (const key of keys) {
    const isHash = key === schema.hash;
    if (isHash && !schema.range && conditions.size > 1) throw invalid(keyTexts.notSupported);
    const condition = conditions.get(key.name);
    if (!condition) {
      if (isHash || conditions.size > 1) throw invalid(keyTexts.missedElement(key.name));
      continue;
    }
    if (NOT_INDEXABLE.includes(condition.operator)) throw invalid(keyTexts.notIndexable);
    if (condition.values.some((value) => typeOf(value) !== key.type)) throw invalid(keyTexts.schemaType);
    if (isHash && condition.operator !== "EQ") throw invalid(keyTexts.notSupported);
  }
  const partition = conditions.get(schema.hash.name) as KeyCondition;
  const sort = schema.range ? conditions.get(schema.range.name) : undefined;
  return {
    partition: { name: schema.hash.name, value: partition.values[0] as AttributeValue },
    ...(sort && schema.range
      ? { sort: { name: schema.range.name, operator: sort.operator as SortKeyOperator, values: sort.values } }
      : {}),
  };
}

/** Whether a sort-key value satisfies the sort-key condition of a query. */
export function sortKeyMatches(
  sort: NonNullable<KeyQuery["sort"]>,
  value: AttributeValue | undefined,
): boolean {
  const [first, second] = sort.values;
  switch (sort.operator) {
    case "EQ":
      return compare("=", value, first);
    case "LT":
      return compare("<", value, first);
    case "LE":
      return compare("<=", value, first);
    case "GT":
      return compare(">", value, first);
    case "GE":
      return compare(">=", value, first);
    case "BETWEEN":
      return compare(">=", value, first) && compare("<=", value, second);
    case "BEGINS_WITH":
      return beginsWith(value, first);
  }
}
