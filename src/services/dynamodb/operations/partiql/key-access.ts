/**
 * How a WHERE clause reaches items by key. DynamoDB decides from the clause's top-level AND terms
 * (parentheses around ANDs do not matter, [floci] "readsKeyEqualitiesInsideAGroupedAnd"):
 *
 * - SELECT: an equality (or IN) on the partition key of the table or index makes the read a Query of
 *   those partitions, narrowed by the first sort-key comparison, BETWEEN or begins_with; a clause
 *   that is an OR whose every branch pins the partition key reads those partitions; anything else is
 *   a Scan. Either way the whole clause then filters the items read. At most 50 partitions (IN
 *   values times sort-key IN values): "Too many decomposed read operations for a given query."; one
 *   partition twice: "Overlapping conditions with range keys are not supported in where clause".
 * - UPDATE, DELETE, EXISTS: equality on every key attribute names the one item; the rest of the
 *   clause is its condition.
 * - Batch and transaction SELECTs: only equalities (or one-value INs) on the key attributes.
 */
import type { AttributeValue, Item } from "../../attribute-value.ts";
import { typeOf } from "../../attribute-value.ts";
import { validationError } from "../../errors.ts";
import type { SortCondition } from "../../items-store/item-store.ts";
import type { KeyAttribute } from "../../tables/record.ts";
import { valuesEqual } from "../../values.ts";
import { resolveValue } from "./conditions.ts";
import { isValueExpr, type Parameters } from "./literals.ts";
import type { Expr } from "./syntax.ts";
import { partiqlTexts } from "./texts.ts";

/** Reads one SELECT may be decomposed into ([floci]: 51 IN values are refused). */
export const decomposedReadsMax = 50;

export interface KeySchema {
  readonly hash: KeyAttribute;
  readonly range: KeyAttribute | undefined;
}

/** The top-level AND terms of a clause. */
export function conjuncts(expr: Expr | undefined): Expr[] {
  if (expr === undefined) return [];
  if (expr.kind === "binary" && expr.op === "and") return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}

function disjuncts(expr: Expr): Expr[] {
  if (expr.kind === "binary" && expr.op === "or") return [...disjuncts(expr.left), ...disjuncts(expr.right)];
  return [expr];
}

function isAttribute(expr: Expr, name: string): boolean {
  return (
    expr.kind === "path" && expr.steps.length === 1 && "name" in expr.steps[0]! && expr.steps[0].name === name
  );
}

/** `name = value` or `value = name`: the value expression. */
function equalityOn(term: Expr, name: string): Expr | undefined {
  if (term.kind !== "binary" || term.op !== "=") return undefined;
  if (isAttribute(term.left, name) && isValueExpr(term.right)) return term.right;
  if (isAttribute(term.right, name) && isValueExpr(term.left)) return term.left;
  return undefined;
}

/** `name IN [values]`: the value expressions. */
function inOn(term: Expr, name: string): readonly Expr[] | undefined {
  if (term.kind !== "in" || term.negated || !isAttribute(term.operand, name)) return undefined;
  return term.list.every(isValueExpr) ? term.list : undefined;
}

function checkType(value: AttributeValue, key: KeyAttribute, message: string): AttributeValue {
  if (typeOf(value) !== key.type) throw validationError(message);
  return value;
}

function dedupe(values: readonly AttributeValue[]): void {
  values.forEach((value, i) => {
    if (values.slice(0, i).some((other) => valuesEqual(other, value)))
      throw validationError(partiqlTexts.overlappingKeys);
  });
}

export interface ReadPlan {
  /** Partition key values to Query, in order; undefined = Scan. */
  readonly partitions?: readonly AttributeValue[];
  readonly sort?: SortCondition;
}

export function planRead(where: Expr | undefined, schema: KeySchema, parameters: Parameters): ReadPlan {
  const terms = conjuncts(where);
  const hashType = partiqlTexts.keyTypeInWhere(schema.hash.name);
  const hashValue = (expr: Expr) => checkType(resolveValue(expr, parameters), schema.hash, hashType);
  let partitions: AttributeValue[] | undefined;
  let fromOr = false;
  for (const term of terms) {
    const equal = equalityOn(term, schema.hash.name);
    if (equal) {
      partitions = [hashValue(equal)];
      break;
    }
  }
  if (!partitions) {
    for (const term of terms) {
      const list = inOn(term, schema.hash.name);
      if (list) {
        partitions = list.map(hashValue);
        break;
      }
    }
  }
  if (!partitions && where && terms.length === 1) {
    const branches = disjuncts(where);
    const pinned = branches.map((branch) =>
      conjuncts(branch)
        .map((t) => equalityOn(t, schema.hash.name))
        .find(Boolean),
    );
    if (branches.length > 1 && pinned.every((expr) => expr !== undefined)) {
      partitions = pinned.map((expr) => hashValue(expr as Expr));
      fromOr = true;
    }
  }
  if (!partitions) return {};
  dedupe(partitions);
  let sortReads = 1;
  let sort: SortCondition | undefined;
  const range = schema.range;
  if (range && !fromOr) {
    const rangeType = partiqlTexts.keyTypeInWhere(range.name);
    const rangeValue = (expr: Expr) => checkType(resolveValue(expr, parameters), range, rangeType);
    for (const term of terms) {
      const list = inOn(term, range.name);
      if (list) {
        list.forEach(rangeValue);
        sortReads = Math.max(sortReads, list.length);
      }
      sort ??= sortCondition(term, range.name, rangeValue);
    }
  }
  if (partitions.length * sortReads > decomposedReadsMax) throw validationError(partiqlTexts.tooManyReads);
  return { partitions, ...(sort ? { sort } : {}) };
}

const FLIP: Readonly<Record<string, "LT" | "LE" | "GT" | "GE">> = {
  "<": "GT",
  "<=": "GE",
  ">": "LT",
  ">=": "LE",
};
const SAME: Readonly<Record<string, "EQ" | "LT" | "LE" | "GT" | "GE">> = {
  "=": "EQ",
  "<": "LT",
  "<=": "LE",
  ">": "GT",
  ">=": "GE",
};

function sortCondition(
  term: Expr,
  name: string,
  value: (expr: Expr) => AttributeValue,
): SortCondition | undefined {
  if (term.kind === "binary" && SAME[term.op]) {
    if (isAttribute(term.left, name) && isValueExpr(term.right))
      return { op: SAME[term.op] as "EQ", value: value(term.right) };
    if (isAttribute(term.right, name) && isValueExpr(term.left))
      return { op: term.op === "=" ? "EQ" : (FLIP[term.op] as "LT"), value: value(term.left) };
  }
  if (term.kind === "between" && !term.negated && isAttribute(term.operand, name)) {
    if (isValueExpr(term.low) && isValueExpr(term.high))
      return { op: "BETWEEN", low: value(term.low), high: value(term.high) };
  }
  if (term.kind === "call" && term.name === "begins_with" && term.args.length === 2) {
    const [subject, prefix] = term.args as [Expr, Expr];
    if (isAttribute(subject, name) && isValueExpr(prefix))
      return { op: "BEGINS_WITH", prefix: value(prefix) };
  }
  return undefined;
}

/** Whether the clause reads by key (what the index-projection check of filters turns on). */
export function isKeyed(where: Expr | undefined, schema: KeySchema): boolean {
  return conjuncts(where).some((term) => equalityOn(term, schema.hash.name) || inOn(term, schema.hash.name));
}

export type KeyFailure = "incomplete" | "type";

/**
 * The key of the one item an UPDATE, DELETE or EXISTS names. Throws "Multiple conditions on same
 * key" for two different values; returns a failure kind when a key attribute has no equality or a
 * value of the wrong type (the caller words it: ExecuteStatement and transactions differ).
 */
export function writeKey(
  where: Expr | undefined,
  schema: KeySchema,
  parameters: Parameters,
): { key: Item } | { failure: KeyFailure } {
  const key: Item = {};
  for (const attribute of [schema.hash, schema.range]) {
    if (attribute === undefined) continue;
    let found: AttributeValue | undefined;
    for (const term of conjuncts(where)) {
      const expr = equalityOn(term, attribute.name);
      if (expr === undefined) continue;
      const value = resolveValue(expr, parameters);
      if (found === undefined) found = value;
      else if (!valuesEqual(found, value))
        throw validationError(partiqlTexts.multipleKeyValues(attribute.name));
    }
    if (found === undefined) return { failure: "incomplete" };
    if (typeOf(found) !== attribute.type) return { failure: "type" };
    key[attribute.name] = found;
  }
  return { key };
}

/**
 * The key of a batch or transaction SELECT: every term an equality or one-value IN on a key
 * attribute, agreeing, covering the key. Undefined otherwise (the caller's "must specify the
 * primary key"); a value of the wrong type is reported as "type".
 */
export function keyOnlyRead(
  where: Expr | undefined,
  schema: KeySchema,
  parameters: Parameters,
): { key: Item } | { failure: KeyFailure } | undefined {
  const values = new Map<string, AttributeValue>();
  const names = [schema.hash.name, ...(schema.range ? [schema.range.name] : [])];
  for (const term of conjuncts(where)) {
    let matched = false;
    for (const name of names) {
      const single = inOn(term, name);
      const expr = equalityOn(term, name) ?? (single?.length === 1 ? single[0] : undefined);
      if (expr === undefined) continue;
      const value = resolveValue(expr, parameters);
      const previous = values.get(name);
      if (previous !== undefined && !valuesEqual(previous, value)) return undefined;
      values.set(name, value);
      matched = true;
    }
    if (!matched) return undefined;
  }
  const key: Item = {};
  for (const attribute of [schema.hash, schema.range]) {
    if (attribute === undefined) continue;
    const value = values.get(attribute.name);
    if (value === undefined) return undefined;
    if (typeOf(value) !== attribute.type) return { failure: "type" };
    key[attribute.name] = value;
  }
  return { key };
}
