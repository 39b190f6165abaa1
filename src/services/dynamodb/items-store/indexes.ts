/**
 * Index entries of an item: where it sits in each LSI/GSI and what the index keeps of it.
 *
 * Sparse indexes: an item is in an index only if it has every key attribute of the index with the
 * index's key type; otherwise it has no entry there (DynamoDB's rule, which makes sparse GSIs useful).
 * Projections: KEYS_ONLY keeps the table and index key attributes, INCLUDE adds NonKeyAttributes, ALL
 * keeps the whole item.
 */
import type { Item } from "../attribute-value.ts";
import { encodeSortValue, itemKeyHash, partitionHash } from "../keys.ts";
import type { IndexView, KeyAttribute, TableView } from "../tables/record.ts";
import { indexKey } from "./layout.ts";

export interface IndexEntry {
  key: Uint8Array;
  value: Item;
}

function hasKey(item: Item, attribute: KeyAttribute | undefined): boolean {
  if (attribute === undefined) return true;
  const value = item[attribute.name];
  return value !== undefined && attribute.type in value;
}

/** The key of the base item's entry in `index`, or undefined when the item is not in the index. */
export function indexEntryKey(table: TableView, index: IndexView, item: Item): Uint8Array | undefined {
  if (!hasKey(item, index.hash) || !hasKey(item, index.range)) return undefined;
  const baseHash = itemKeyHash(
    table.hash.type,
    item[table.hash.name]!,
    table.range?.type,
    table.range && item[table.range.name],
  );
  return indexKey(
    index.id,
    partitionHash(index.hash.type, item[index.hash.name]!),
    index.range && encodeSortValue(index.range.type, item[index.range.name]!),
    baseHash,
  );
}

export function project(table: TableView, index: IndexView, item: Item): Item {
  if (index.projection === "ALL") return item;
  const keep = (name: string | undefined, out: Item) => {
    if (name !== undefined && item[name] !== undefined) out[name] = item[name];
  };
  const out: Item = {};
  keep(table.hash.name, out);
  keep(table.range?.name, out);
  keep(index.hash.name, out);
  keep(index.range?.name, out);
  if (index.projection === "INCLUDE") for (const name of index.include) keep(name, out);
  return out;
}

export function indexEntry(table: TableView, index: IndexView, item: Item): IndexEntry | undefined {
  const key = indexEntryKey(table, index, item);
  return key && { key, value: project(table, index, item) };
}
