/**
 * Consumed capacity as DynamoDB computes and reports it (developer guide, "Read/write capacity unit
 * consumption"): a read unit per 4 KB read (rounded up, at least one; half for eventually consistent
 * reads, double in transactions), a write unit per 1 KB written (rounded up, at least one; double in
 * transactions). Query and Scan round the total size of the items they read once, not per item.
 *
 * Every item, batch, transaction, Query and Scan operation reports through `consumedCapacity()` so the
 * shape — `{TableName, CapacityUnits, ReadCapacityUnits|WriteCapacityUnits[, Table, GlobalSecondaryIndexes,
 * LocalSecondaryIndexes]}` — is written in one place.
 */
import type { Item } from "./attribute-value.ts";
import { indexEntry } from "./items-store/indexes.ts";
import type { TableView } from "./tables/record.ts";
import { itemSizeBytes, valuesEqual } from "./values.ts";

export type ReturnConsumedCapacity = "INDEXES" | "TOTAL" | "NONE";

const READ_UNIT_BYTES = 4096;
const WRITE_UNIT_BYTES = 1024;

export type ReadConsistency = "eventual" | "strong" | "transactional";

/** Read units for `bytes` read in one request (an item, or all items a Query/Scan page read). */
export function readUnits(bytes: number, consistency: ReadConsistency): number {
  const units = Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES));
  return consistency === "eventual" ? units / 2 : consistency === "transactional" ? units * 2 : units;
}

/** Write units for one item write of `bytes` (the larger of the old and new item). */
export function writeUnits(bytes: number, transactional = false): number {
  const units = Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));
  return transactional ? units * 2 : units;
}

export interface CapacityUsage {
  kind: "read" | "write";
  /** Units consumed on the base table. */
  table: number;
  /** Units consumed per index, by index name. */
  globalIndexes?: Record<string, number>;
  localIndexes?: Record<string, number>;
  /**
   * Whether ReadCapacityUnits/WriteCapacityUnits accompany CapacityUnits. Default true. DynamoDB writes
   * that split only for transactions: GetItem, PutItem, UpdateItem, DeleteItem and Query report the
   * aggregate alone, at the top level, on Table and on each index (conformance, eu-west-2, issue #69;
   * dynalite's recorded tests agree), so the item operations pass false.
   */
  split?: boolean;
}

export interface ConsumedCapacity {
  TableName: string;
  CapacityUnits: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: Units;
  GlobalSecondaryIndexes?: Record<string, Units>;
  LocalSecondaryIndexes?: Record<string, Units>;
}

interface Units {
  CapacityUnits: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

function units(kind: CapacityUsage["kind"], value: number, split = true): Units {
  if (!split) return { CapacityUnits: value };
  return kind === "read"
    ? { CapacityUnits: value, ReadCapacityUnits: value }
    : { CapacityUnits: value, WriteCapacityUnits: value };
}

function sum(values: Record<string, number> | undefined): number {
  return values ? Object.values(values).reduce((a, b) => a + b, 0) : 0;
}

function byIndex(kind: CapacityUsage["kind"], values: Record<string, number> | undefined, split: boolean) {
  if (!values || Object.keys(values).length === 0) return undefined;
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, units(kind, value, split)]));
}

/** The ConsumedCapacity to return for `mode`, or undefined when none was asked for. */
export function consumedCapacity(
  mode: ReturnConsumedCapacity | undefined,
  tableName: string,
  usage: CapacityUsage,
): ConsumedCapacity | undefined {
  if (mode !== "TOTAL" && mode !== "INDEXES") return undefined;
  const total = usage.table + sum(usage.globalIndexes) + sum(usage.localIndexes);
  const split = usage.split ?? true;
  const result: ConsumedCapacity = { TableName: tableName, ...units(usage.kind, total, split) };
  if (mode === "INDEXES") {
    result.Table = units(usage.kind, usage.table, split);
    const global = byIndex(usage.kind, usage.globalIndexes, split);
    const local = byIndex(usage.kind, usage.localIndexes, split);
    if (global) result.GlobalSecondaryIndexes = global;
    if (local) result.LocalSecondaryIndexes = local;
  }
  return result;
}

/**
 * The write units of one item write, from the item before and after (either may be absent: a new item,
 * a delete). The table pays for the larger of the two items (at least one unit, also for a delete that
 * found nothing). Each index pays only when what it stores changed (conformance
 * tests/tier1/putItem/indexConsumedCapacity, eu-west-2, 2026-08): a new entry or a removed one costs
 * its size in units, a changed entry under the same key the larger of its two sizes, an entry that moved
 * to another index key a delete plus an insert; an unchanged entry, or none, costs nothing and reports
 * no arm.
 */
export function itemWriteUsage(
  table: TableView,
  old: Item | undefined,
  next: Item | undefined,
  options: { transactional?: boolean; split?: boolean } = {},
): CapacityUsage {
  const transactional = options.transactional ?? false;
  const size = (item: Item | undefined) => (item === undefined ? 0 : itemSizeBytes(item));
  const usage: CapacityUsage = {
    kind: "write",
    table: writeUnits(Math.max(size(old), size(next)), transactional),
    split: options.split ?? transactional,
  };
  for (const index of table.indexes) {
    const before = old && indexEntry(table, index, old);
    const after = next && indexEntry(table, index, next);
    let indexUnits = 0;
    if (before && after) {
      if (Buffer.compare(before.key, after.key) !== 0)
        indexUnits =
          writeUnits(size(before.value), transactional) + writeUnits(size(after.value), transactional);
      else if (!valuesEqual({ M: before.value }, { M: after.value }))
        indexUnits = writeUnits(Math.max(size(before.value), size(after.value)), transactional);
    } else if (before || after) {
      indexUnits = writeUnits(size((before ?? after)?.value), transactional);
    }
    if (indexUnits === 0) continue;
    const arm = index.kind === "GSI" ? "globalIndexes" : "localIndexes";
    usage[arm] = { ...usage[arm], [index.name]: indexUnits };
  }
  return usage;
}
