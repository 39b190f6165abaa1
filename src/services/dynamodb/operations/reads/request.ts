/**
 * What Query and Scan check alike, each in DynamoDB's words (texts in ../../errors.ts):
 *
 * - Select against ProjectionExpression/AttributesToGet and IndexName (before anything about the table);
 * - ExclusiveStartKey values, with DynamoDB's odd prefixing: "The provided starting key is invalid: "
 *   goes before most value errors but not before the number, number-set and duplicate texts (dynalite
 *   validations/query.js and scan.js recorded which);
 * - the index named (unknown, ConsistentRead on a GSI, a GSI still backfilling);
 * - the key attributes of a start key (missing, wrong type; then item-rules.ts: empty, too long);
 * - which attributes a read returns, and whether an LSI read has to fetch the table's item.
 */
import { isAwsError } from "../../../../aws/errors.ts";
import type { AttributeValue, Item } from "../../attribute-value.ts";
import {
  backfillingIndex,
  consistentReadOnGsi,
  invalidStartKey,
  keyMismatch,
  selectAllProjectedWithoutIndex,
  selectSpecificWithoutProjection,
  selectWithProjection,
  unknownIndex,
} from "../../errors.ts";
import type {
  Condition,
  DocumentPath,
  ExpressionParameters,
  Operand,
  Projection,
} from "../../expressions/index.ts";
import { checkKey, checkKeyValue } from "../../item-rules.ts";
import { type Json, obj, str } from "../../tables/input.ts";
import type { IndexView, KeyAttribute, TableView } from "../../tables/record.ts";
import { validateAttributeValue } from "../../values.ts";

export type Select = "ALL_ATTRIBUTES" | "ALL_PROJECTED_ATTRIBUTES" | "SPECIFIC_ATTRIBUTES" | "COUNT";

const present = (value: unknown) => value !== undefined && value !== null;

/** The expression members of a read request, for parseExpressions. */
export function expressionParameters(input: Json): ExpressionParameters {
  const names = obj(input.ExpressionAttributeNames) as Record<string, string> | undefined;
  const values = obj(input.ExpressionAttributeValues);
  const parameters: { -readonly [K in keyof ExpressionParameters]: ExpressionParameters[K] } = {};
  if (names) parameters.ExpressionAttributeNames = names;
  if (values) parameters.ExpressionAttributeValues = values;
  for (const kind of ["KeyConditionExpression", "FilterExpression", "ProjectionExpression"] as const) {
    const source = str(input[kind]);
    if (source !== undefined) parameters[kind] = source;
  }
  return parameters;
}

/** A list of strings (AttributesToGet), or undefined. */
export function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value)
    ? value.filter((entry): entry is string => typeof entry === "string")
    : undefined;
}

/**
 * The Select rules that need no table (moto's AWS-verified tests; conformance 2026): a projection only
 * with SPECIFIC_ATTRIBUTES (or no Select), SPECIFIC_ATTRIBUTES only with one, ALL_PROJECTED_ATTRIBUTES
 * only with an IndexName. Query words them inside coral's envelope, Scan bare.
 */
export function checkSelect(input: Json, query: boolean): void {
  const select = str(input.Select);
  if (select === undefined) return;
  const projection = present(input.ProjectionExpression);
  const attributesToGet = present(input.AttributesToGet);
  if (select !== "SPECIFIC_ATTRIBUTES") {
    if (projection) throw selectWithProjection("ProjectionExpression", select, query);
    if (attributesToGet) throw selectWithProjection("AttributesToGet", select, query);
  } else if (!projection && !attributesToGet) {
    throw selectSpecificWithoutProjection(query);
  }
  if (select === "ALL_PROJECTED_ATTRIBUTES" && !present(input.IndexName))
    throw selectAllProjectedWithoutIndex(query);
}

/** The Select in force: the request's, or what DynamoDB assumes without one. */
export function effectiveSelect(input: Json, index: IndexView | undefined, projection: unknown): Select {
  const select = str(input.Select) as Select | undefined;
  if (select !== undefined) return select;
  if (projection !== undefined) return "SPECIFIC_ATTRIBUTES";
  return index ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
}

/** Start-key value errors DynamoDB reports without "The provided starting key is invalid: ". */
const UNPREFIXED = /contains duplicates|number set|numeric value|significant digits|number with magnitude/;

/** ExclusiveStartKey's values, validated and normalised (numbers canonical); undefined when absent. */
export function startKeyValues(raw: unknown): Item | undefined {
  const map = obj(raw);
  if (map === undefined) return undefined;
  const key: Item = {};
  for (const [name, value] of Object.entries(map)) {
    try {
      key[name] = validateAttributeValue(value);
    } catch (error) {
      if (isAwsError(error) && !UNPREFIXED.test(error.message)) throw invalidStartKey(error.message);
      throw error;
    }
  }
  return key;
}

/** The index a read names, with DynamoDB's refusals; undefined for the table. */
export function resolveIndex(table: TableView, input: Json, nowMs: number): IndexView | undefined {
  const name = str(input.IndexName);
  if (name === undefined) return undefined;
  const index = table.indexes.find((candidate) => candidate.name === name);
  if (!index) throw unknownIndex(name);
  if (index.kind === "GSI") {
    if (input.ConsistentRead === true) throw consistentReadOnGsi();
    if (!index.record.backfilled || nowMs < table.record.activeAt) throw backfillingIndex(name);
  }
  return index;
}

/** The attributes a LastEvaluatedKey holds: the table's key, then the index's (each once). */
export function startKeyNames(table: TableView, index: IndexView | undefined): string[] {
  const names: string[] = [];
  for (const attribute of [table.hash, table.range, index?.hash, index?.range]) {
    if (attribute && !names.includes(attribute.name)) names.push(attribute.name);
  }
  return names;
}

/**
 * One key attribute of a start key (dynalite actions/query.js, scan.js): absent → "The provided
 * starting key is invalid"; present but of another type → "The provided key element does not match
 * the schema"; then the key value rules of every key (empty, too long).
 */
export function checkStartKeyAttribute(key: Item, attribute: KeyAttribute, isHash: boolean): void {
  const value = key[attribute.name];
  if (value === undefined) throw invalidStartKey();
  checkKeyPiece(value, attribute, isHash);
}

function checkKeyPiece(value: AttributeValue, attribute: KeyAttribute, isHash: boolean): void {
  if (!(attribute.type in value)) throw keyMismatch();
  checkKeyValue(attribute.name, value, isHash);
}

/**
 * The table's key inside a start key, checked as GetItem checks a Key (item-rules.ts); failures read
 * "The provided starting key is invalid: <the Key text>".
 */
export function checkTableStartKey(table: TableView, key: Item): void {
  const tableKey: Item = {};
  for (const attribute of [table.hash, table.range]) {
    const value = attribute && key[attribute.name];
    if (attribute && value !== undefined) tableKey[attribute.name] = value;
  }
  try {
    checkKey(table, tableKey);
  } catch (error) {
    if (isAwsError(error)) throw invalidStartKey(error.message);
    throw error;
  }
}

// ---- document paths --------------------------------------------------------------------------------

function* operandPaths(operand: Operand): Generator<DocumentPath> {
  if (operand.kind === "path") yield operand.path;
  else if (operand.kind === "size") yield* operandPaths(operand.operand);
}

/** Every document path a condition reads. */
export function* conditionPaths(condition: Condition): Generator<DocumentPath> {
  switch (condition.kind) {
    case "compare":
      yield* operandPaths(condition.left);
      yield* operandPaths(condition.right);
      return;
    case "between":
      yield* operandPaths(condition.operand);
      yield* operandPaths(condition.low);
      yield* operandPaths(condition.high);
      return;
    case "in":
      yield* operandPaths(condition.operand);
      for (const operand of condition.list) yield* operandPaths(operand);
      return;
    case "exists":
    case "notExists":
    case "type":
      yield condition.path;
      return;
    case "beginsWith":
      yield* operandPaths(condition.subject);
      yield* operandPaths(condition.prefix);
      return;
    case "contains":
      yield* operandPaths(condition.subject);
      yield* operandPaths(condition.operand);
      return;
    case "and":
    case "or":
      yield* conditionPaths(condition.left);
      yield* conditionPaths(condition.right);
      return;
    case "not":
      yield* conditionPaths(condition.condition);
      return;
  }
}

/** The top-level attribute names of some paths. */
export function pathHeads(paths: Iterable<DocumentPath>): Set<string> {
  const heads = new Set<string>();
  for (const path of paths) heads.add(path[0] as string);
  return heads;
}

// ---- what a read returns ---------------------------------------------------------------------------

/** Whether an index entry holds the attribute `name` (keys always; INCLUDE's list; ALL everything). */
function projectedInto(table: TableView, index: IndexView, name: string): boolean {
  if (index.projection === "ALL") return true;
  const keys = [table.hash, table.range, index.hash, index.range];
  if (keys.some((attribute) => attribute?.name === name)) return true;
  return index.projection === "INCLUDE" && index.include.has(name);
}

/**
 * Whether reading an LSI has to fetch each table item: for ALL_ATTRIBUTES, or when the projection or
 * the filter names an attribute the index does not hold (the developer guide's "fetch" of non-projected
 * attributes, which GSIs cannot do: there they are simply absent).
 */
export function needsTableFetch(
  table: TableView,
  index: IndexView | undefined,
  select: Select,
  projection: Projection | undefined,
  filter: Condition | undefined,
): boolean {
  if (index === undefined || index.kind !== "LSI" || index.projection === "ALL") return false;
  if (select === "ALL_ATTRIBUTES") return true;
  const heads = pathHeads([
    ...(select === "SPECIFIC_ATTRIBUTES" && projection ? projection : []),
    ...(filter ? conditionPaths(filter) : []),
  ]);
  for (const head of heads) if (!projectedInto(table, index, head)) return true;
  return false;
}
