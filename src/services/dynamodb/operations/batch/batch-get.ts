/**
 * BatchGetItem: up to 100 keys over up to 100 tables, each table with its own projection and
 * consistency. Checks in DynamoDB's order (dynalite validations/batchGetItem.js and
 * actions/batchGetItem.js, recorded against DynamoDB; conformance tier1/tier3 2026): the model; per
 * table the expression/legacy mixing, AttributesToGet duplicates, the projection, then each key's values,
 * duplicates ("Provided list of item keys contains duplicates") and the running count ("Too many items
 * requested for the BatchGetItem call"); then each table exists and each key matches its schema.
 *
 * Responses hold every table named (an empty list when nothing was found), items in request order;
 * UnprocessedKeys is always present ({} when everything was read). A response stops growing at 16 MB of
 * items read: the keys left go to UnprocessedKeys with their table's parameters, ready to resend.
 *
 * ## By design
 * - Every read is strongly consistent; ConsistentRead only changes the capacity reported (half a unit
 *   per 4 KB without it, as DynamoDB charges).
 * - Items come back in request order (DynamoDB's order is unspecified).
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import type { Item } from "../../attribute-value.ts";
import type { ReturnConsumedCapacity } from "../../capacity.ts";
import { batchGetTooManyKeys, duplicateBatchKeys } from "../../errors.ts";
import { invalid, requestTexts } from "../../expressions/errors.ts";
import {
  checkExpressionParameters,
  type Projection,
  parseExpressions,
  project,
  projectionFromAttributesToGet,
} from "../../expressions/index.ts";
import { checkKey } from "../../item-rules.ts";
import type { DynamoDbStore } from "../../store.ts";
import { bool, type Json, list, obj, str } from "../../tables/input.ts";
import type { TableView } from "../../tables/record.ts";
import { itemSizeBytes, validateItem } from "../../values.ts";
import { entries, keyText, memberTable } from "./shared.ts";
import { CapacityTally, readUsage } from "./usage.ts";

/** Keys over all tables of one call (API reference; dynalite validations/batchGetItem.js). */
const BATCH_GET_KEYS_MAX = 100;
/** Data one call returns before the rest becomes UnprocessedKeys (API reference: 16 MB). */
const BATCH_GET_RESPONSE_BYTES_MAX = 16 * 1024 * 1024;

interface TableRequest {
  name: string;
  /** The request's own KeysAndAttributes, for UnprocessedKeys. */
  raw: Json;
  keys: Item[];
  projection: Projection | undefined;
  consistent: boolean;
}

/** The checks that need no table, per table in request order. */
function parseRequests(requestItems: unknown): TableRequest[] {
  const requests: TableRequest[] = [];
  let count = 0;
  const styles = new Set<string>();
  for (const [name, value] of entries(requestItems)) {
    const raw = obj(value) ?? {};
    checkExpressionParameters(raw, ["ProjectionExpression"], ["AttributesToGet"]);
    const attributesToGet = list(raw.AttributesToGet) as string[] | undefined;
    let projection = attributesToGet && projectionFromAttributesToGet(attributesToGet);
    const parsed = parseExpressions({
      ...(str(raw.ProjectionExpression) !== undefined && {
        ProjectionExpression: str(raw.ProjectionExpression),
      }),
      ...(obj(raw.ExpressionAttributeNames) && {
        ExpressionAttributeNames: obj(raw.ExpressionAttributeNames) as Record<string, string>,
      }),
    });
    projection ??= parsed.projection;
    if (attributesToGet) styles.add("AttributesToGet");
    if (parsed.projection) styles.add("ProjectionExpression");
    const seen = new Set<string>();
    const keys: Item[] = [];
    for (const rawKey of list(raw.Keys) ?? []) {
      const key = validateItem(obj(rawKey) ?? {});
      const text = keyText(key);
      if (seen.has(text)) throw duplicateBatchKeys();
      seen.add(text);
      keys.push(key);
      if (++count > BATCH_GET_KEYS_MAX) throw batchGetTooManyKeys();
    }
    requests.push({ name, raw, keys, projection, consistent: bool(raw.ConsistentRead) ?? false });
  }
  // One request may not mix the two styles across tables (conformance tier3; text assumed).
  if (styles.size > 1) throw invalid(requestTexts.mixed(["AttributesToGet"], ["ProjectionExpression"]));
  return requests;
}

export function batchGetItem(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "BatchGetItem", input);
    const requests = parseRequests(input.RequestItems);
    const tables: TableView[] = [];
    for (const request of requests) {
      const table = await memberTable(store, store.storage, context, request.name);
      for (const key of request.keys) {
        checkKey(table, key);
      }
      tables.push(table);
    }

    const capacity = new CapacityTally(false);
    const responses: Record<string, Item[]> = {};
    const unprocessed: Record<string, Json> = {};
    let bytes = 0;
    let full = false;
    for (const [i, request] of requests.entries()) {
      const table = tables[i]!;
      const found: Item[] = [];
      responses[request.name] = found;
      capacity.touch(request.name);
      const left: Item[] = [];
      for (const key of request.keys) {
        if (full) {
          left.push(key);
          continue;
        }
        const item = await store.items.get(store.storage, table, key);
        const size = item === undefined ? 0 : itemSizeBytes(item);
        if (bytes + size > BATCH_GET_RESPONSE_BYTES_MAX) {
          full = true;
          left.push(key);
          continue;
        }
        bytes += size;
        capacity.add(request.name, readUsage(item, request.consistent ? "strong" : "eventual"));
        if (item !== undefined) found.push(request.projection ? project(request.projection, item) : item);
      }
      if (left.length > 0) unprocessed[request.name] = { ...request.raw, Keys: left };
    }
    const consumed = capacity.render(str(input.ReturnConsumedCapacity) as ReturnConsumedCapacity, "read");
    return {
      Responses: responses,
      UnprocessedKeys: unprocessed,
      ...(consumed && { ConsumedCapacity: consumed }),
    };
  };
}
