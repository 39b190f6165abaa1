/**
 * BatchWriteItem: up to 25 PutRequest/DeleteRequest members over up to 25 tables. Checks in DynamoDB's
 * order (dynalite validations/batchWriteItem.js and actions/batchWriteItem.js, recorded against
 * DynamoDB; conformance tier1/tier3 2026; dynamodb-local 3.3.1 probes): the model; the total count
 * ("Too many items requested for the BatchWriteItem call"); per table, members with neither or both
 * requests, then each member's values and the 400 KB item size; then per table in request order the
 * table exists, each member matches the key schema ("The provided key element does not match the schema"
 * for a missing or mistyped key, as DynamoDB words it in a batch; index keys and empty values in the
 * item operations' words) and no key appears twice ("Provided list of item keys contains duplicates",
 * a Put and a Delete of one key included).
 *
 * Every member is then applied in one storage transaction, durable before the answer. UnprocessedItems
 * is always present and empty: Stratus never throttles. ItemCollectionMetrics (ReturnItemCollectionMetrics
 * SIZE) lists each item collection written per table with an LSI.
 *
 * ## By design
 * - All members commit together (DynamoDB applies them one by one and may leave some unprocessed).
 */
import type { RequestContext } from "../../../../aws/context.ts";
import type { AwsError } from "../../../../aws/errors.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import type { AttributeValue, Item } from "../../attribute-value.ts";
import { itemWriteUsage, type ReturnConsumedCapacity } from "../../capacity.ts";
import {
  batchWriteTooManyRequests,
  duplicateBatchKeys,
  itemTooLarge,
  keyMismatch,
  writeRequestNotOneOf,
} from "../../errors.ts";
import { checkAttributeNames, checkItem, checkKey, checkNesting, keyOf } from "../../item-rules.ts";
import type { DynamoDbStore } from "../../store.ts";
import { type Json, list, obj, str } from "../../tables/input.ts";
import type { TableView } from "../../tables/record.ts";
import { itemSizeBytes, itemSizeBytesMax, validateItem } from "../../values.ts";
import { collectionMetrics, type ItemCollectionMetrics } from "../items/request.ts";
import { attempt, entries, itemIdentity, keyText, memberTable } from "./shared.ts";
import { CapacityTally } from "./usage.ts";

/** Members over all tables of one call (API reference). */
const BATCH_WRITE_REQUESTS_MAX = 25;

type Member = { kind: "put"; item: Item } | { kind: "delete"; key: Item };

interface TableWrites {
  name: string;
  members: Member[];
}

function parseRequests(requestItems: unknown): TableWrites[] {
  const tables = entries(requestItems).map(([name, value]) => ({ name, raw: (list(value) ?? []).map(obj) }));
  const count = tables.reduce((sum, table) => sum + table.raw.length, 0);
  if (count > BATCH_WRITE_REQUESTS_MAX) throw batchWriteTooManyRequests();
  return tables.map(({ name, raw }) => {
    const requests = raw.map((member) => ({
      put: obj(member?.PutRequest),
      del: obj(member?.DeleteRequest),
    }));
    if (requests.some(({ put, del }) => (put === undefined) === (del === undefined)))
      throw writeRequestNotOneOf();
    const members = requests.map(({ put, del }): Member => {
      if (put) {
        const item = validateItem(obj(put.Item) ?? {});
        checkAttributeNames(item);
        checkNesting(item);
        if (itemSizeBytes(item) > itemSizeBytesMax) throw itemTooLarge();
        return { kind: "put", item };
      }
      return { kind: "delete", key: validateItem(obj(del?.Key) ?? {}) };
    });
    return { name, members };
  });
}

/** A member against its table: DynamoDB's batch words for key trouble, the item rules otherwise. */
function memberError(table: TableView, member: Member): AwsError | undefined {
  if (member.kind === "delete") return attempt(() => checkKey(table, member.key));
  const error = attempt(() => checkItem(table, member.item));
  if (error && /Missing the key|Type mismatch for key /.test(error.message)) return keyMismatch();
  return error;
}

export function batchWriteItem(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "BatchWriteItem", input);
    const writes = parseRequests(input.RequestItems);
    const mode = str(input.ReturnConsumedCapacity) as ReturnConsumedCapacity | undefined;
    const wantMetrics = str(input.ReturnItemCollectionMetrics) === "SIZE";

    return store.storage.transaction(async (tx) => {
      const tables: TableView[] = [];
      for (const { name, members } of writes) {
        const table = await memberTable(store, tx, context, name);
        const seen = new Set<string>();
        for (const member of members) {
          const error = memberError(table, member);
          if (error) throw error;
          const identity = itemIdentity(
            table,
            member.kind === "put" ? keyOf(table, member.item) : member.key,
          );
          if (seen.has(identity)) throw duplicateBatchKeys();
          seen.add(identity);
        }
        tables.push(table);
      }

      const capacity = new CapacityTally(false);
      const metrics: Record<string, ItemCollectionMetrics[]> = {};
      for (const [i, { name, members }] of writes.entries()) {
        const table = tables[i]!;
        capacity.touch(name);
        const partitions = new Map<string, AttributeValue>();
        for (const member of members) {
          const key = member.kind === "put" ? keyOf(table, member.item) : member.key;
          const old =
            member.kind === "put"
              ? await store.items.put(tx, table, member.item)
              : await store.items.delete(tx, table, member.key);
          capacity.add(name, itemWriteUsage(table, old, member.kind === "put" ? member.item : undefined));
          const partition = key[table.hash.name]!;
          partitions.set(keyText({ partition }), partition);
        }
        if (!wantMetrics) continue;
        for (const partition of partitions.values()) {
          const metric = await collectionMetrics(store, tx, table, partition);
          if (metric) metrics[name] = [...(metrics[name] ?? []), metric];
        }
      }
      const consumed = capacity.render(mode, "write");
      return {
        UnprocessedItems: {},
        ...(consumed && { ConsumedCapacity: consumed }),
        ...(wantMetrics && Object.keys(metrics).length > 0 && { ItemCollectionMetrics: metrics }),
      };
    });
  };
}
