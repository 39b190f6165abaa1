/**
 * The item store: what the item operations (GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, the
 * batch and transaction operations) call, always inside one `storage.transaction()` for writes, so that
 * an item, its index entries, the table's counters and its stream record change together or not at all.
 *
 * It trusts its input: keys and items are already validated by the operation (key types, sizes, empty
 * values). It never throws AWS errors, only programming errors.
 *
 * Reads (`get`, `query`, `scan`) take any KvReader: the transaction for a read-check-write, or the store
 * itself for plain reads (which see every acknowledged write).
 */

import type { Clock } from "../../../aws/clock.ts";
import { compareBytes, equalBytes } from "../../../storage/bytes.ts";
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import type { AttributeValue, Item } from "../attribute-value.ts";
import { encodeBytesPrefix, encodeSortValue, keyValueBytes, partitionHash, sameKeyValue } from "../keys.ts";
import type { IndexView, KeyAttribute, TableView } from "../tables/record.ts";
import { itemSizeBytes, valuesEqual } from "../values.ts";
import { type Counter, decodeCounter, decodeItem, encodeCounter, encodeItem } from "./codec.ts";
import { indexEntry, indexEntryKey } from "./indexes.ts";
import { afterPrefix, concat, countKey, INDEX_PREFIX, ITEM_PREFIX, itemKey, justAfter } from "./layout.ts";
import { appendStreamRecord } from "./streams.ts";

/** A key condition on the sort key of the table or index queried. */
export type SortCondition =
  | { op: "EQ" | "LT" | "LE" | "GT" | "GE"; value: AttributeValue }
  | { op: "BETWEEN"; low: AttributeValue; high: AttributeValue }
  | { op: "BEGINS_WITH"; prefix: AttributeValue };

export interface QueryRange {
  /** An LSI or GSI name; absent = the table. */
  index?: string;
  /** The value of the partition key of the table or index. */
  partition: AttributeValue;
  sort?: SortCondition;
  /** ScanIndexForward; default true. */
  forward?: boolean;
  /** A previous page's LastEvaluatedKey: the table's key attributes (and the index's, for an index). */
  exclusiveStartKey?: Item;
}

export interface ScanRange {
  index?: string;
  /** Parallel scan: this segment of `totalSegments` (hash ranges of equal width). */
  segment?: number;
  totalSegments?: number;
  exclusiveStartKey?: Item;
}

export interface WriteOptions {
  /** A deletion made by DynamoDB itself (TTL): its stream record carries the service identity. */
  byService?: boolean;
}

export interface TableCounts {
  table: Counter;
  indexes: ReadonlyMap<string, Counter>;
}

export class ItemStore {
  constructor(private readonly clock: Clock) {}

  /** The item with this key (only its key attributes are read), or undefined. */
  async get(reader: KvReader, table: TableView, key: Item): Promise<Item | undefined> {
    const bytes = await reader.get(storageKey(table, key));
    if (bytes === undefined) return undefined;
    const item = decodeItem(bytes);
    return sameKey(table, item, key) ? item : undefined;
  }

  /** Stores `item` (replacing any item with its key); returns the item it replaced. */
  async put(tx: KvTransaction, table: TableView, item: Item): Promise<Item | undefined> {
    const key = storageKey(table, item);
    const old = await this.#existing(tx, table, key, item);
    tx.put(key, encodeItem(item));
    await this.#maintain(tx, table, old, item);
    // DynamoDB writes no stream record for a put that changes nothing.
    if (table.stream && (old === undefined || !valuesEqual({ M: old }, { M: item }))) {
      const eventName = old === undefined ? "INSERT" : "MODIFY";
      await appendStreamRecord(tx, table, { eventName, oldItem: old, newItem: item, now: this.clock.now() });
    }
    return old;
  }

  /** Deletes the item with this key; returns it (undefined when there was none: nothing is written). */
  async delete(
    tx: KvTransaction,
    table: TableView,
    key: Item,
    options: WriteOptions = {},
  ): Promise<Item | undefined> {
    const storage = storageKey(table, key);
    const old = await this.#existing(tx, table, storage, key);
    if (old === undefined) return undefined;
    tx.delete(storage);
    await this.#maintain(tx, table, old, undefined);
    await appendStreamRecord(tx, table, {
      eventName: "REMOVE",
      oldItem: old,
      now: this.clock.now(),
      byService: options.byService,
    });
    return old;
  }

  /** Items of one partition of the table or an index, in sort-key order (projected items for an index). */
  async *query(reader: KvReader, table: TableView, range: QueryRange): AsyncGenerator<Item> {
    const index = range.index === undefined ? undefined : findIndex(table, range.index);
    const hash = index ? index.hash : table.hash;
    const sortAttribute = index ? index.range : table.range;
    const pkHash = partitionHash(hash.type, range.partition);
    const base = index ? concat(INDEX_PREFIX, index.id, pkHash) : concat(ITEM_PREFIX, table.id, pkHash);
    let [start, end] = sortBounds(base, sortAttribute, range.sort);
    const forward = range.forward ?? true;
    if (range.exclusiveStartKey !== undefined) {
      const position = positionOf(table, index, range.exclusiveStartKey);
      if (position !== undefined) {
        if (forward) start = maxBytes(start, justAfter(position));
        else end = minBytes(end, position);
      }
    }
    if (compareBytes(start, end) >= 0) return;
    for await (const entry of reader.range({ start, end, reverse: !forward })) {
      const item = decodeItem(entry.value);
      const value = item[hash.name];
      // Another partition key with the same MD5 would share the range: never return its items.
      if (value !== undefined && sameKeyValue(hash.type, value, range.partition)) yield item;
    }
  }

  /** Every item of the table or an index (or of one parallel-scan segment), in hash order. */
  async *scan(reader: KvReader, table: TableView, range: ScanRange = {}): AsyncGenerator<Item> {
    const index = range.index === undefined ? undefined : findIndex(table, range.index);
    const prefix = index ? concat(INDEX_PREFIX, index.id) : concat(ITEM_PREFIX, table.id);
    let start = prefix;
    let end = afterPrefix(prefix);
    const total = range.totalSegments ?? 1;
    const segment = range.segment ?? 0;
    if (total > 1) {
      // Hash ranges on the first 4 bytes of the partition hash: exact in doubles for up to 1,000,000 segments.
      const bound = (n: number) => concat(prefix, uint32(Math.floor((n * 2 ** 32) / total)));
      start = bound(segment);
      if (segment + 1 < total) end = bound(segment + 1);
    }
    if (range.exclusiveStartKey !== undefined) {
      const position = positionOf(table, index, range.exclusiveStartKey);
      if (position !== undefined) start = maxBytes(start, justAfter(position));
    }
    if (compareBytes(start, end) >= 0) return;
    for await (const entry of reader.range({ start, end })) yield decodeItem(entry.value);
  }

  /** ItemCount and size of the table and of each index, as maintained by every write. */
  async counts(reader: KvReader, table: TableView): Promise<TableCounts> {
    const indexes = new Map<string, Counter>();
    for (const index of table.indexes)
      indexes.set(index.name, decodeCounter(await reader.get(countKey(index.id))));
    return { table: decodeCounter(await reader.get(countKey(table.id))), indexes };
  }

  async #existing(tx: KvReader, table: TableView, key: Uint8Array, wanted: Item): Promise<Item | undefined> {
    const bytes = await tx.get(key);
    if (bytes === undefined) return undefined;
    const item = decodeItem(bytes);
    if (!sameKey(table, item, wanted))
      throw new Error("DynamoDB item key hash collision (MD5): refusing to overwrite");
    return item;
  }

  /** Index entries and counters after the item `old` became `next` (either may be absent). */
  async #maintain(
    tx: KvTransaction,
    table: TableView,
    old: Item | undefined,
    next: Item | undefined,
  ): Promise<void> {
    const oldSize = old === undefined ? 0 : itemSizeBytes(old);
    const newSize = next === undefined ? 0 : itemSizeBytes(next);
    await addToCounter(tx, table.id, (next ? 1 : 0) - (old ? 1 : 0), newSize - oldSize);
    for (const index of table.indexes) {
      const before = old && indexEntry(table, index, old);
      const after = next && indexEntry(table, index, next);
      if (before && !(after && equalBytes(before.key, after.key))) tx.delete(before.key);
      if (after) tx.put(after.key, encodeItem(after.value));
      const countDelta = (after ? 1 : 0) - (before ? 1 : 0);
      const sizeDelta = (after ? itemSizeBytes(after.value) : 0) - (before ? itemSizeBytes(before.value) : 0);
      if (countDelta !== 0 || sizeDelta !== 0) await addToCounter(tx, index.id, countDelta, sizeDelta);
    }
  }
}

export async function addToCounter(
  tx: KvTransaction,
  id: Uint8Array,
  count: number,
  bytes: number,
): Promise<void> {
  const key = countKey(id);
  const current = decodeCounter(await tx.get(key));
  tx.put(key, encodeCounter({ count: current.count + count, bytes: current.bytes + bytes }));
}

export function findIndex(table: TableView, name: string): IndexView {
  const index = table.indexes.find((candidate) => candidate.name === name);
  if (index === undefined) throw new Error(`table ${table.record.name} has no index ${name}`);
  return index;
}

/** The storage key of the item with these key attributes. */
export function storageKey(table: TableView, key: Item): Uint8Array {
  const hashValue = key[table.hash.name];
  if (hashValue === undefined) throw new Error(`key lacks the partition key ${table.hash.name}`);
  const pkHash = partitionHash(table.hash.type, hashValue);
  if (table.range === undefined) return itemKey(table.id, pkHash);
  const rangeValue = key[table.range.name];
  if (rangeValue === undefined) throw new Error(`key lacks the sort key ${table.range.name}`);
  return itemKey(table.id, pkHash, encodeSortValue(table.range.type, rangeValue));
}

function sameKey(table: TableView, item: Item, key: Item): boolean {
  return sameKeyAttribute(table.hash, item, key) && sameKeyAttribute(table.range, item, key);
}

// Not a closure inside sameKey (which runs on every read): tsx compiles with esbuild's keepNames, which wraps every named closure in a `__name()` call (an
// Object.defineProperty) each time it is created; a module-level function pays that once.
function sameKeyAttribute(attribute: KeyAttribute | undefined, item: Item, key: Item): boolean {
  return (
    attribute === undefined ||
    (item[attribute.name] !== undefined &&
      key[attribute.name] !== undefined &&
      sameKeyValue(attribute.type, item[attribute.name]!, key[attribute.name]!))
  );
}

/** Where a LastEvaluatedKey sits in the table or index (undefined if it lacks the attributes). */
function positionOf(table: TableView, index: IndexView | undefined, key: Item): Uint8Array | undefined {
  try {
    return index ? indexEntryKey(table, index, key) : storageKey(table, key);
  } catch {
    return undefined;
  }
}

/** [start, end) of the sort condition inside one partition whose keys start with `base`. */
function sortBounds(
  base: Uint8Array,
  attribute: KeyAttribute | undefined,
  condition: SortCondition | undefined,
): [Uint8Array, Uint8Array] {
  const all: [Uint8Array, Uint8Array] = [base, afterPrefix(base)];
  if (condition === undefined || attribute === undefined) return all;
  const at = (value: AttributeValue) => concat(base, encodeSortValue(attribute.type, value));
  switch (condition.op) {
    case "EQ": {
      const exact = at(condition.value);
      return [exact, afterPrefix(exact)];
    }
    case "LT":
      return [base, at(condition.value)];
    case "LE":
      return [base, afterPrefix(at(condition.value))];
    case "GT":
      return [afterPrefix(at(condition.value)), all[1]];
    case "GE":
      return [at(condition.value), all[1]];
    case "BETWEEN":
      return [at(condition.low), afterPrefix(at(condition.high))];
    case "BEGINS_WITH": {
      const prefix = concat(base, encodeBytesPrefix(keyValueBytes(attribute.type, condition.prefix)));
      return [prefix, afterPrefix(prefix)];
    }
  }
}

function uint32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

function maxBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compareBytes(a, b) >= 0 ? a : b;
}

function minBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compareBytes(a, b) <= 0 ? a : b;
}
