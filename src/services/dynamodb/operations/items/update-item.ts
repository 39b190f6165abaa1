/**
 * UpdateItem: applies an UpdateExpression (or the legacy AttributeUpdates) to the item with this key,
 * creating it from the key when there is none, if the condition holds for the stored item. All five
 * ReturnValues: ALL_OLD / ALL_NEW the whole item before / after; UPDATED_OLD / UPDATED_NEW only the
 * paths the update wrote, as they were / are (dynalite test/updateItem.js records what each returns).
 *
 * Checks in DynamoDB's order (dynalite validations/updateItem.js, db/index.js validateKey and
 * validateUpdates, actions/updateItem.js; test/updateItem.js; conformance 2026): the model;
 * expressions with legacy parameters; the Key's values; AttributeUpdates; Expected; the expressions;
 * the table; the Key against the schema; writes to key attributes, index key types known from the
 * request, paths into key attributes (item-rules.ts `checkUpdate`); then, in the write's transaction,
 * the condition; the update itself ("The document path provided in the update expression is invalid
 * for update", operand types...); the index keys it wrote; nesting; the size ("Item size to update has
 * exceeded the maximum allowed size", item-rules.ts `checkUpdatedItemSize`).
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import type { Item } from "../../attribute-value.ts";
import { itemWriteUsage } from "../../capacity.ts";
import { nestingLimit } from "../../errors.ts";
import {
  type AttributeValueUpdate,
  applyUpdate,
  checkExpressionParameters,
  project,
  type Update,
  updatedPaths,
  updateFromAttributeUpdates,
} from "../../expressions/index.ts";
import {
  checkKey,
  checkNesting,
  checkUpdate,
  checkUpdatedIndexKeys,
  checkUpdatedItemSize,
  nestsTooDeep,
} from "../../item-rules.ts";
import type { DynamoDbStore } from "../../store.ts";
import { obj } from "../../tables/input.ts";
import { validateItem } from "../../values.ts";
import {
  checkCondition,
  expectedCondition,
  expressionsOf,
  type Json,
  type ReturnValues,
  tableNameOf,
  type WriteOutput,
  writeOptions,
  writeOutput,
} from "./request.ts";

/** AttributeUpdates checked and translated (its values within the nesting limit too). */
function attributeUpdates(input: Json): Update | undefined {
  const updates = obj(input.AttributeUpdates);
  if (!updates) return undefined;
  const update = updateFromAttributeUpdates(updates as Record<string, AttributeValueUpdate>);
  for (const entry of Object.values(updates)) if (nestsTooDeep(obj(entry)?.Value)) throw nestingLimit();
  return update;
}

function returned(returnValues: ReturnValues, update: Update, old: Item | undefined, next: Item) {
  switch (returnValues) {
    case "ALL_OLD":
      return old;
    case "UPDATED_OLD":
      return old && project(updatedPaths(update), old);
    case "ALL_NEW":
      return next;
    case "UPDATED_NEW":
      return project(updatedPaths(update), next);
    default:
      return undefined;
  }
}

export function updateItem(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext): Promise<WriteOutput> => {
    validateInput("dynamodb", "UpdateItem", input);
    checkExpressionParameters(
      input,
      ["UpdateExpression", "ConditionExpression"],
      ["AttributeUpdates", "Expected"],
    );
    const rawKey = obj(input.Key) ?? {};
    checkNesting(rawKey);
    const key = validateItem(rawKey);
    const legacy = attributeUpdates(input);
    const expected = expectedCondition(input);
    const parsed = expressionsOf(input);
    const update: Update = parsed.update ?? legacy ?? { actions: [] };
    const condition = parsed.condition ?? expected;
    const options = writeOptions(input);
    const name = tableNameOf(input.TableName, context);

    return store.storage.transaction(async (tx) => {
      const table = await store.requireTable(tx, context, name);
      checkKey(table, key);
      checkUpdate(table, update);
      const old = await store.items.get(tx, table, key);
      checkCondition(condition, old, options);
      const next = applyUpdate(update, old ?? key);
      checkUpdatedIndexKeys(table, update, next);
      checkNesting(next);
      checkUpdatedItemSize(update, next);
      await store.items.put(tx, table, next);
      return writeOutput(store, tx, table, options, {
        key,
        attributes: returned(options.returnValues, update, old, next),
        usage: () => itemWriteUsage(table, old, next),
      });
    });
  };
}
