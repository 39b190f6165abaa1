/**
 * One page of a Query or Scan, as DynamoDB reads it (developer guide, "Paginating table query results"
 * and "Scan"; dynalite db/index.js queryTable):
 *
 * 1. items are read in order until Limit items were *evaluated* or 1 MB of data was read, both counted
 *    before the filter; either stop answers LastEvaluatedKey (the key attributes of the last item read,
 *    the table's and the index's), even when nothing follows;
 * 2. the filter keeps some of them (Count; ScannedCount counts all that were read);
 * 3. the projection shapes what is kept; Select COUNT returns no Items at all;
 * 4. read capacity is the size of everything read, rounded up once per page (capacity.ts): the index's
 *    entries for an index read, plus the table items an LSI read fetched; reported as CapacityUnits
 *    alone, as DynamoDB does for single-table operations.
 *
 * The item that crosses 1 MB is still returned (so a page always makes progress), as DynamoDB does.
 */
import type { KvReader } from "../../../../storage/kv.ts";
import type { Item } from "../../attribute-value.ts";
import {
  type ConsumedCapacity,
  consumedCapacity,
  type ReturnConsumedCapacity,
  readUnits,
} from "../../capacity.ts";
import { type Condition, evaluateCondition, type Projection, project } from "../../expressions/index.ts";
import type { DynamoDbStore } from "../../store.ts";
import type { IndexView, TableView } from "../../tables/record.ts";
import { itemSizeBytes } from "../../values.ts";

/** DynamoDB's page size: 1 MB of data read. */
export const pageBytesMax = 1024 * 1024;

export interface PagePlan {
  table: TableView;
  index: IndexView | undefined;
  /** Limit: items to evaluate at most. */
  limit: number | undefined;
  filter: Condition | undefined;
  /** Paths to keep (SPECIFIC_ATTRIBUTES); undefined keeps the whole item. */
  projection: Projection | undefined;
  /** Select COUNT: no Items. */
  countOnly: boolean;
  /** LSI reads of attributes the index does not hold: read the table's item for each entry. */
  fetch: boolean;
  /** ALL_PROJECTED_ATTRIBUTES: answer the index entry even when the filter needed the table's item. */
  entriesOnly: boolean;
  /** The attributes of LastEvaluatedKey. */
  keyNames: readonly string[];
  consistentRead: boolean;
  returnConsumedCapacity: ReturnConsumedCapacity | undefined;
}

export interface PageOutput {
  Items?: Item[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Item;
  ConsumedCapacity?: ConsumedCapacity;
}

export async function readPage(
  store: DynamoDbStore,
  reader: KvReader,
  source: AsyncIterable<Item>,
  plan: PagePlan,
): Promise<PageOutput> {
  const kept: Item[] = [];
  let scanned = 0;
  let count = 0;
  let readBytes = 0;
  let fetchedBytes = 0;
  let last: Item | undefined;
  let stopped = false;
  for await (const entry of source) {
    scanned++;
    last = entry;
    const entryBytes = itemSizeBytes(entry);
    readBytes += entryBytes;
    let item = entry;
    if (plan.fetch) {
      const full = await store.items.get(reader, plan.table, entry);
      if (full !== undefined) {
        item = full;
        fetchedBytes += itemSizeBytes(full);
      }
    }
    if (plan.filter === undefined || evaluateCondition(plan.filter, item)) {
      count++;
      if (!plan.countOnly) {
        const shown = plan.entriesOnly ? entry : item;
        kept.push(plan.projection ? project(plan.projection, shown) : shown);
      }
    }
    if ((plan.limit !== undefined && scanned >= plan.limit) || readBytes + fetchedBytes >= pageBytesMax) {
      stopped = true;
      break;
    }
  }
  const output: PageOutput = { Count: count, ScannedCount: scanned };
  if (!plan.countOnly) output.Items = kept;
  if (stopped && last !== undefined) output.LastEvaluatedKey = keyOf(last, plan.keyNames);
  // Query and Scan report CapacityUnits alone, without ReadCapacityUnits (conformance issue #69, 2026).
  const capacity = consumedCapacity(plan.returnConsumedCapacity, plan.table.record.name, {
    kind: "read",
    split: false,
    ...usage(plan, readBytes, fetchedBytes),
  });
  if (capacity) output.ConsumedCapacity = capacity;
  return order(output);
}

function usage(plan: PagePlan, readBytes: number, fetchedBytes: number) {
  const consistency = plan.consistentRead ? "strong" : "eventual";
  if (plan.index === undefined) return { table: readUnits(readBytes, consistency) };
  const indexUnits = { [plan.index.name]: readUnits(readBytes, consistency) };
  const table = plan.fetch && fetchedBytes > 0 ? readUnits(fetchedBytes, consistency) : 0;
  return plan.index.kind === "GSI"
    ? { table, globalIndexes: indexUnits }
    : { table, localIndexes: indexUnits };
}

function keyOf(item: Item, names: readonly string[]): Item {
  const key: Item = {};
  for (const name of names) {
    const value = item[name];
    if (value !== undefined) key[name] = value;
  }
  return key;
}

/** The members in the order DynamoDB writes them. */
function order(output: PageOutput): PageOutput {
  const { Items, Count, ScannedCount, LastEvaluatedKey, ConsumedCapacity } = output;
  return {
    ...(Items && { Items }),
    Count,
    ScannedCount,
    ...(LastEvaluatedKey && { LastEvaluatedKey }),
    ...(ConsumedCapacity && { ConsumedCapacity }),
  };
}
