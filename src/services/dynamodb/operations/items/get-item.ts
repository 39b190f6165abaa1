/**
 * GetItem: one item by its key, whole or projected (ProjectionExpression, or the legacy
 * AttributesToGet). Reads outside a transaction see every acknowledged write, so ConsistentRead only
 * changes what the read costs: half a unit per 4 KB of the whole item (projection or not; at least one
 * 4 KB, also for an item that is not there), a whole unit when strongly consistent.
 *
 * Checks in DynamoDB's order (dynalite validations/getItem.js, db/index.js; test/getItem.js): the model;
 * ProjectionExpression with AttributesToGet; the Key's values; AttributesToGet duplicates; the
 * projection and its names; the table; the Key against the schema; no projected path inside a key
 * attribute ("Key attributes must be scalars...").
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import type { Item } from "../../attribute-value.ts";
import type { ReturnConsumedCapacity } from "../../capacity.ts";
import { type ConsumedCapacity, consumedCapacity, readUnits } from "../../capacity.ts";
import {
  checkExpressionParameters,
  type Projection,
  project,
  projectionFromAttributesToGet,
} from "../../expressions/index.ts";
import { checkKey, checkKeyPaths, checkNesting } from "../../item-rules.ts";
import type { DynamoDbStore } from "../../store.ts";
import { list, obj, str } from "../../tables/input.ts";
import { itemSizeBytes, validateItem } from "../../values.ts";
import { expressionsOf, type Json, tableNameOf } from "./request.ts";

interface GetItemOutput {
  Item?: Item;
  ConsumedCapacity?: ConsumedCapacity;
}

export function getItem(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext): Promise<GetItemOutput> => {
    validateInput("dynamodb", "GetItem", input);
    checkExpressionParameters(input, ["ProjectionExpression"], ["AttributesToGet"]);
    const rawKey = obj(input.Key) ?? {};
    checkNesting(rawKey);
    const key = validateItem(rawKey);
    const attributesToGet = list(input.AttributesToGet) as string[] | undefined;
    const legacy: Projection | undefined = attributesToGet && projectionFromAttributesToGet(attributesToGet);
    const parsed = expressionsOf(input);
    const projection = parsed.projection ?? legacy;

    const table = await store.requireTable(store.storage, context, tableNameOf(input.TableName, context));
    checkKey(table, key);
    if (parsed.projection) checkKeyPaths(table, parsed.projection);

    const item = await store.items.get(store.storage, table, key);
    const output: GetItemOutput = {};
    if (item) output.Item = projection ? project(projection, item) : item;
    const mode = str(input.ReturnConsumedCapacity) as ReturnConsumedCapacity | undefined;
    // Sizing the item (every number through Decimal) only when the answer reports capacity.
    if (mode === "TOTAL" || mode === "INDEXES") {
      const consistency = input.ConsistentRead === true ? "strong" : "eventual";
      const capacity = consumedCapacity(mode, table.record.name, {
        kind: "read",
        table: readUnits(item ? itemSizeBytes(item) : 0, consistency),
        split: false,
      });
      if (capacity) output.ConsumedCapacity = capacity;
    }
    return output;
  };
}
