/**
 * DeleteItem: removes the item with this key if the condition holds for it (an absent item has no
 * attributes, so `attribute_exists(pk)` fails and `attribute_not_exists(pk)` passes). Deleting an item
 * that is not there succeeds and still costs a write unit. ReturnValues ALL_OLD answers the removed item.
 *
 * Checks in DynamoDB's order (dynalite validations/deleteItem.js, db/index.js validateKey;
 * test/deleteItem.js; ExtendDB's us-east-1 parity test for ReturnValues): the model;
 * ConditionExpression with Expected; the Key's values; ReturnValues other than ALL_OLD/NONE; Expected;
 * the expressions; the table; the Key against the schema; then, in the write's transaction, the
 * condition.
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import { itemWriteUsage } from "../../capacity.ts";
import { returnValuesPutDelete } from "../../errors.ts";
import { checkExpressionParameters } from "../../expressions/index.ts";
import { checkKey, checkNesting } from "../../item-rules.ts";
import type { DynamoDbStore } from "../../store.ts";
import { obj } from "../../tables/input.ts";
import { validateItem } from "../../values.ts";
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

export function deleteItem(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext): Promise<WriteOutput> => {
    validateInput("dynamodb", "DeleteItem", input);
    checkExpressionParameters(input, ["ConditionExpression"], ["Expected"]);
    const rawKey = obj(input.Key) ?? {};
    checkNesting(rawKey);
    const key = validateItem(rawKey);
    const options = writeOptions(input);
    if (options.returnValues !== "NONE" && options.returnValues !== "ALL_OLD") throw returnValuesPutDelete();
    const expected = expectedCondition(input);
    const condition = expressionsOf(input).condition ?? expected;
    const name = tableNameOf(input.TableName, context);

    return store.storage.transaction(async (tx) => {
      const table = await store.requireTable(tx, context, name);
      checkKey(table, key);
      if (condition) checkCondition(condition, await store.items.get(tx, table, key), options);
      const old = await store.items.delete(tx, table, key);
      return writeOutput(store, tx, table, options, {
        key,
        attributes: options.returnValues === "ALL_OLD" ? old : undefined,
        usage: () => itemWriteUsage(table, old, undefined),
      });
    });
  };
}
