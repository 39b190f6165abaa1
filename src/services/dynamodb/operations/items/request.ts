/**
 * What PutItem, GetItem, UpdateItem and DeleteItem read and answer alike: the table a TableName
 * designates, the condition (ConditionExpression, or the legacy Expected + ConditionalOperator), the
 * expressions of the request, ReturnValues, the ConditionalCheckFailedException with the old item
 * (ReturnValuesOnConditionCheckFailure ALL_OLD), ConsumedCapacity and ItemCollectionMetrics.
 *
 * Check order shared by the operations (dynalite validations/*.js `custom`, recorded against DynamoDB):
 * the model (validateInput), the mix of expression and legacy parameters, the values of Key/Item, the
 * operation's own parameters (ReturnValues, item size, AttributeUpdates), Expected, then the
 * expressions with their names and values; only then the table (ResourceNotFoundException), the key or
 * item against its schema, and the item itself.
 */
import type { RequestContext } from "../../../../aws/context.ts";
import type { KvReader } from "../../../../storage/kv.ts";
import type { AttributeValue, Item } from "../../attribute-value.ts";
import type { CapacityUsage } from "../../capacity.ts";
import { type ConsumedCapacity, consumedCapacity, type ReturnConsumedCapacity } from "../../capacity.ts";
import { conditionalCheckFailed, nestingTooDeep, resourceNotFound } from "../../errors.ts";
import { invalid, requestTexts } from "../../expressions/errors.ts";
import {
  type Condition,
  conditionFromExpected,
  type ExpectedAttributeValue,
  type ExpressionParameters,
  evaluateCondition,
  type ParsedExpressions,
  parseExpressions,
} from "../../expressions/index.ts";
import { keyOf, nestsTooDeep } from "../../item-rules.ts";
import type { DynamoDbStore } from "../../store.ts";
import { type Json, obj, str } from "../../tables/input.ts";
import type { TableView } from "../../tables/record.ts";
import { itemSizeBytes } from "../../values.ts";

export type { Json };

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})$/;

/**
 * The table a TableName designates: a name (the model checked it), or the ARN of a table of the
 * caller's account and region; an ARN of any other designates no table of this caller.
 */
export function tableNameOf(value: unknown, context: RequestContext): string {
  const text = str(value) ?? "";
  const arn = TABLE_ARN.exec(text);
  if (!arn) return text;
  const [, region, account, name] = arn;
  if (region !== context.region || account !== context.accountId) throw resourceNotFound();
  return name as string;
}

/**
 * ExpressionAttributeValues nested past 32 levels, in the words of the other value errors
 * ("ExpressionAttributeValues contains invalid value: Nesting Levels ... for key :v"; conformance 2026:
 * UpdateItem checks this up front in most regions).
 */
export function checkValuesNesting(input: Json): void {
  const values = obj(input.ExpressionAttributeValues);
  if (!values) return;
  for (const [key, value] of Object.entries(values)) {
    if (nestsTooDeep(value)) throw invalid(requestTexts.valuesInvalidValue(nestingTooDeep, key));
  }
}

/** The legacy condition (Expected + ConditionalOperator), checked with its texts; undefined without one. */
export function expectedCondition(input: Json): Condition | undefined {
  const expected = obj(input.Expected);
  if (!expected) return undefined;
  const condition = conditionFromExpected(
    expected as Record<string, ExpectedAttributeValue>,
    str(input.ConditionalOperator),
  );
  for (const entry of Object.values(expected)) {
    const { Value, AttributeValueList } = (obj(entry) ?? {}) as ExpectedAttributeValue;
    if ([Value, ...(AttributeValueList ?? [])].some((value) => nestsTooDeep(value))) {
      throw invalid(nestingTooDeep);
    }
  }
  return condition;
}

/** The request's expressions, parsed and checked (names, values, unused ones). */
export function expressionsOf(input: Json): ParsedExpressions {
  checkValuesNesting(input);
  return parseExpressions(input as ExpressionParameters);
}

export type ReturnValues = "NONE" | "ALL_OLD" | "UPDATED_OLD" | "ALL_NEW" | "UPDATED_NEW";

export interface WriteOptions {
  returnValues: ReturnValues;
  returnConsumedCapacity: ReturnConsumedCapacity | undefined;
  /** ReturnItemCollectionMetrics SIZE. */
  collectionMetrics: boolean;
  /** ReturnValuesOnConditionCheckFailure ALL_OLD. */
  oldItemOnFailure: boolean;
}

export function writeOptions(input: Json): WriteOptions {
  return {
    returnValues: (str(input.ReturnValues) ?? "NONE") as ReturnValues,
    returnConsumedCapacity: str(input.ReturnConsumedCapacity) as ReturnConsumedCapacity | undefined,
    collectionMetrics: input.ReturnItemCollectionMetrics === "SIZE",
    oldItemOnFailure: input.ReturnValuesOnConditionCheckFailure === "ALL_OLD",
  };
}

/**
 * Evaluates the write's condition against the stored item (an absent item has no attributes) and
 * throws ConditionalCheckFailedException, carrying the stored item when ALL_OLD was asked for and
 * there is one.
 */
export function checkCondition(
  condition: Condition | undefined,
  existing: Item | undefined,
  options: WriteOptions,
): void {
  if (condition === undefined || evaluateCondition(condition, existing ?? {})) return;
  throw conditionalCheckFailed(options.oldItemOnFailure ? existing : undefined);
}

export interface ItemCollectionMetrics {
  ItemCollectionKey: Item;
  SizeEstimateRangeGB: [number, number];
}

const GIB = 1024 ** 3;

/**
 * ItemCollectionMetrics for a write to a table with local secondary indexes (DynamoDB reports none for
 * other tables): the partition key, and the size of the item collection — the partition's items plus
 * their entries in every LSI — as DynamoDB's one-gigabyte-wide estimate range, [0, 1] for any
 * collection under 1 GB. Reads the whole collection: it is asked for rarely, and capped at 10 GB.
 */
export async function collectionMetrics(
  store: DynamoDbStore,
  reader: KvReader,
  table: TableView,
  partition: AttributeValue,
): Promise<ItemCollectionMetrics | undefined> {
  const lsis = table.indexes.filter((index) => index.kind === "LSI");
  if (lsis.length === 0) return undefined;
  let bytes = 0;
  for (const item of [undefined, ...lsis.map((lsi) => lsi.name)]) {
    for await (const entry of store.items.query(reader, table, { partition, ...(item && { index: item }) }))
      bytes += itemSizeBytes(entry);
  }
  const low = Math.floor(bytes / GIB);
  return { ItemCollectionKey: { [table.hash.name]: partition }, SizeEstimateRangeGB: [low, low + 1] };
}

export interface WriteOutput {
  Attributes?: Item;
  ConsumedCapacity?: ConsumedCapacity;
  ItemCollectionMetrics?: ItemCollectionMetrics;
}

/** A write's answer, members in DynamoDB's order; Attributes only when there are some. */
export async function writeOutput(
  store: DynamoDbStore,
  reader: KvReader,
  table: TableView,
  options: WriteOptions,
  written: { key: Item; attributes: Item | undefined; usage: () => CapacityUsage },
): Promise<WriteOutput> {
  const output: WriteOutput = {};
  if (written.attributes !== undefined && Object.keys(written.attributes).length > 0)
    output.Attributes = written.attributes;
  const mode = options.returnConsumedCapacity;
  if (mode === "TOTAL" || mode === "INDEXES") {
    output.ConsumedCapacity = consumedCapacity(mode, table.record.name, written.usage());
  }
  if (options.collectionMetrics) {
    const partition = keyOf(table, written.key)[table.hash.name] as AttributeValue;
    const metrics = await collectionMetrics(store, reader, table, partition);
    if (metrics) output.ItemCollectionMetrics = metrics;
  }
  return output;
}
