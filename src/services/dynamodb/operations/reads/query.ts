/**
 * Query: the items of one partition of the table, an LSI or a GSI, in sort-key order (ScanIndexForward
 * false walks it backwards), narrowed by a sort-key condition, paged by Limit and 1 MB (page.ts).
 *
 * Checks in DynamoDB's order (dynalite validations/query.js then actions/query.js, its recorded tests
 * test/query.js; Select per moto's AWS-verified tests):
 *  1. the model (coral); Select against the projection and IndexName;
 *  2. expression and legacy parameters not mixed; QueryFilter; AttributesToGet duplicates; the values of
 *     ExclusiveStartKey; KeyConditions or KeyConditionExpression present; every expression; the key
 *     conditions themselves (1 or 2, one per attribute);
 *  3. the table (ResourceNotFoundException), the index;
 *  4. the start key's attribute count, then per key attribute of the table or index queried its start
 *     key value and its key condition, the hash attribute first ("Query condition missed key schema
 *     element", "Query key condition not supported", ...); then the start key's table key and whether it
 *     lies inside the query ("outside query boundaries", "does not match the range key predicate",
 *     "can return at most one row and cannot be restarted");
 *  5. projection paths into key attributes, filters on the queried key, ALL_ATTRIBUTES on a GSI that
 *     does not project everything, filter paths into key attributes.
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import type { AttributeValue, Item } from "../../attribute-value.ts";
import type { ReturnConsumedCapacity } from "../../capacity.ts";
import {
  filterOnKeyAttribute,
  invalidStartKey,
  keyConditionsRequired,
  selectAllAttributesOnGsi,
  startKeyCannotRestart,
  startKeyOutsideQuery,
  startKeyOutsideRange,
} from "../../errors.ts";
import {
  analyseKeyConditions,
  checkExpressionParameters,
  conditionFromFilter,
  type KeyConditions,
  type KeyQuery,
  type KeySchema,
  keyConditionsFromExpression,
  keyConditionsFromLegacy,
  type LegacyCondition,
  parseExpressions,
  projectionFromAttributesToGet,
  sortKeyMatches,
} from "../../expressions/index.ts";
import { checkKeyPaths } from "../../item-rules.ts";
import type { SortCondition } from "../../items-store/item-store.ts";
import { sameKeyValue } from "../../keys.ts";
import type { DynamoDbStore } from "../../store.ts";
import { type Json, num, obj, str } from "../../tables/input.ts";
import type { IndexView, KeyAttribute, TableView } from "../../tables/record.ts";
import { tableNameOf } from "../items/request.ts";
import { readPage } from "./page.ts";
import {
  checkSelect,
  checkStartKeyAttribute,
  checkTableStartKey,
  conditionPaths,
  effectiveSelect,
  expressionParameters,
  needsTableFetch,
  pathHeads,
  resolveIndex,
  startKeyNames,
  startKeyValues,
  stringList,
} from "./request.ts";

/** Query's parameters in the order DynamoDB lists them in the mixing error (dynalite query.js). */
const EXPRESSIONS = ["ProjectionExpression", "FilterExpression", "KeyConditionExpression"];
const LEGACY = ["AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"];

export function query(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "Query", input);
    checkSelect(input, true);
    checkExpressionParameters(input, EXPRESSIONS, LEGACY);
    const queryFilter = obj(input.QueryFilter) as Record<string, LegacyCondition> | undefined;
    const legacyFilter = queryFilter && conditionFromFilter(queryFilter, str(input.ConditionalOperator));
    const attributesToGet = stringList(input.AttributesToGet);
    const legacyProjection = attributesToGet && projectionFromAttributesToGet(attributesToGet);
    const startKey = startKeyValues(input.ExclusiveStartKey);
    if (input.KeyConditions === undefined && input.KeyConditionExpression === undefined)
      throw keyConditionsRequired();
    const parsed = parseExpressions(expressionParameters(input));
    const conditions = parsed.keyCondition
      ? keyConditionsFromExpression(parsed.keyCondition)
      : keyConditionsFromLegacy(obj(input.KeyConditions) as Record<string, LegacyCondition>);
    const filter = parsed.filter ?? legacyFilter;
    const projection = parsed.projection ?? legacyProjection;

    const reader = store.storage;
    const table = await store.requireTable(reader, context, tableNameOf(input.TableName, context));
    const index = resolveIndex(table, input, store.nowMs());
    const keys = index ?? table;
    const schema: KeySchema = { hash: keys.hash, ...(keys.range && { range: keys.range }) };
    const keyNames = startKeyNames(table, index);
    if (startKey && Object.keys(startKey).length !== keyNames.length) throw invalidStartKey();
    const keyQuery = analyseWithStartKey(conditions, schema, startKey);
    if (startKey) checkStartKeyInQuery(table, keys, keyQuery, startKey);

    const select = effectiveSelect(input, index, projection);
    if (projection) checkKeyPaths(table, projection);
    if (filter) {
      const heads = pathHeads(conditionPaths(filter));
      const parameter = parsed.filter ? "Filter Expression" : "QueryFilter";
      for (const attribute of [keys.hash, keys.range]) {
        if (attribute && heads.has(attribute.name)) throw filterOnKeyAttribute(parameter, attribute.name);
      }
    }
    if (index?.kind === "GSI" && select === "ALL_ATTRIBUTES" && index.projection !== "ALL")
      throw selectAllAttributesOnGsi(index.name);
    if (filter) checkKeyPaths(table, conditionPaths(filter));

    const source = store.items.query(reader, table, {
      ...(index && { index: index.name }),
      partition: keyQuery.partition.value,
      ...(keyQuery.sort && { sort: sortCondition(keyQuery.sort) }),
      forward: input.ScanIndexForward !== false,
      ...(startKey && { exclusiveStartKey: startKey }),
    });
    return readPage(store, reader, source, {
      table,
      index,
      limit: num(input.Limit),
      filter,
      projection: select === "SPECIFIC_ATTRIBUTES" ? projection : undefined,
      countOnly: select === "COUNT",
      fetch: needsTableFetch(table, index, select, projection, filter),
      entriesOnly: select === "ALL_PROJECTED_ATTRIBUTES",
      keyNames,
      consistentRead: input.ConsistentRead === true,
      returnConsumedCapacity: str(input.ReturnConsumedCapacity) as ReturnConsumedCapacity | undefined,
    });
  };
}

/**
 * The key conditions against the schema, interleaved with the start key's key attributes as DynamoDB
 * checks them: the hash attribute's start key value, its condition, then the range attribute's.
 */
function analyseWithStartKey(
  conditions: KeyConditions,
  schema: KeySchema,
  startKey: Item | undefined,
): KeyQuery {
  if (startKey) checkStartKeyAttribute(startKey, schema.hash, true);
  let keyQuery: KeyQuery | undefined;
  let failure: unknown;
  try {
    keyQuery = analyseKeyConditions(conditions, schema);
  } catch (error) {
    failure = error;
  }
  // A failure about the hash condition comes before the range attribute's start key value.
  if (failure !== undefined && !hashConditionFits(conditions, schema)) throw failure;
  if (startKey && schema.range) checkStartKeyAttribute(startKey, schema.range, false);
  if (failure !== undefined || keyQuery === undefined) throw failure;
  return keyQuery;
}

/** Whether analyseKeyConditions gets past the hash attribute (equality of the right type). */
function hashConditionFits(conditions: KeyConditions, schema: KeySchema): boolean {
  if (!schema.range && conditions.size > 1) return false;
  const condition = conditions.get(schema.hash.name);
  return (
    condition !== undefined &&
    condition.operator === "EQ" &&
    condition.values.every((value) => schema.hash.type in value)
  );
}

/** The start key's table key is a valid key, and it lies inside what the query reads. */
function checkStartKeyInQuery(
  table: TableView,
  keys: TableView | IndexView,
  keyQuery: KeyQuery,
  startKey: Item,
): void {
  checkTableStartKey(table, startKey);
  const hash: KeyAttribute = keys.hash;
  const sameHash = sameKeyValue(hash.type, startKey[hash.name] as AttributeValue, keyQuery.partition.value);
  if (!keys.range || !keyQuery.sort) {
    if (!sameHash) throw startKeyOutsideQuery();
    return;
  }
  if (!sortKeyMatches(keyQuery.sort, startKey[keys.range.name])) throw startKeyOutsideRange();
  if (!sameHash) throw startKeyCannotRestart();
}

function sortCondition(sort: NonNullable<KeyQuery["sort"]>): SortCondition {
  const [first, second] = sort.values as [AttributeValue, AttributeValue];
  switch (sort.operator) {
    case "BETWEEN":
      return { op: "BETWEEN", low: first, high: second };
    case "BEGINS_WITH":
      return { op: "BEGINS_WITH", prefix: first };
    default:
      return { op: sort.operator, value: first };
  }
}
