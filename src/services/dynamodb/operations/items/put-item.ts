/**
 * PutItem: stores an item whole, replacing any item with its key, if the condition (ConditionExpression,
 * or the legacy Expected + ConditionalOperator) holds for the stored item. ReturnValues ALL_OLD answers
 * the replaced item.
 *
 * Checks in DynamoDB's order (dynalite validations/putItem.js, db/index.js validateItem; test/putItem.js;
 * conformance 2026): the model; ConditionExpression with Expected; attribute names, nesting and values
 * of the Item; ReturnValues other than ALL_OLD/NONE; the 400 KB limit ("Item size has exceeded the
 * maximum allowed size", before the table is looked up); Expected; the expressions; the table; the
 * item's key and index key attributes; then, in one storage transaction with the write, the condition.
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import { itemWriteUsage } from "../../capacity.ts";
import { itemTooLarge, returnValuesPutDelete } from "../../errors.ts";
import { checkExpressionParameters } from "../../expressions/index.ts";
import { checkAttributeNames, checkItem, checkNesting, keyOf } from "../../item-rules.ts";
import type { DynamoDbStore } from "../../store.ts";
import { obj } from "../../tables/input.ts";
import { itemSizeBytes, itemSizeBytesMax, validateItem } from "../../values.ts";
import {
  checkCondition,
  expectedCondition,
  expressionsOf,
  type Json,
  tableNameOf,
  type WriteOutput,
  writeOptions,
  writeOutput,
} from "./request.ts";

export function putItem(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext): Promise<WriteOutput> => {
    validateInput("dynamodb", "PutItem", input);
    checkExpressionParameters(input, ["ConditionExpression"], ["Expected"]);
    const raw = obj(input.Item) ?? {};
    checkAttributeNames(raw);
    checkNesting(raw);
    const item = validateItem(raw);
    const options = writeOptions(input);
    if (options.returnValues !== "NONE" && options.returnValues !== "ALL_OLD") throw returnValuesPutDelete();
    if (itemSizeBytes(item) > itemSizeBytesMax) throw itemTooLarge();
    const expected = expectedCondition(input);
    const condition = expressionsOf(input).condition ?? expected;
    const name = tableNameOf(input.TableName, context);

    return store.storage.transaction(async (tx) => {
      const table = await store.requireTable(tx, context, name);
      checkItem(table, item);
      if (condition) checkCondition(condition, await store.items.get(tx, table, item), options);
      const old = await store.items.put(tx, table, item);
      return writeOutput(store, tx, table, options, {
        key: keyOf(table, item),
        attributes: options.returnValues === "ALL_OLD" ? old : undefined,
        usage: () => itemWriteUsage(table, old, item),
      });
    });
  };
}
