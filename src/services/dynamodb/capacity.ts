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

function units(kind: CapacityUsage["kind"], value: number): Units {
  return kind === "read"
    ? { CapacityUnits: value, ReadCapacityUnits: value }
    : { CapacityUnits: value, WriteCapacityUnits: value };
}

function sum(values: Record<string, number> | undefined): number {
  return values ? Object.values(values).reduce((a, b) => a + b, 0) : 0;
}

function byIndex(kind: CapacityUsage["kind"], values: Record<string, number> | undefined) {
  if (!values || Object.keys(values).length === 0) return undefined;
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, units(kind, value)]));
}

/** The ConsumedCapacity to return for `mode`, or undefined when none was asked for. */
export function consumedCapacity(
  mode: ReturnConsumedCapacity | undefined,
  tableName: string,
  usage: CapacityUsage,
): ConsumedCapacity | undefined {
  if (mode !== "TOTAL" && mode !== "INDEXES") return undefined;
  const total = usage.table + sum(usage.globalIndexes) + sum(usage.localIndexes);
  const result: ConsumedCapacity = { TableName: tableName, ...units(usage.kind, total) };
  if (mode === "INDEXES") {
    result.Table = units(usage.kind, usage.table);
    const global = byIndex(usage.kind, usage.globalIndexes);
    const local = byIndex(usage.kind, usage.localIndexes);
    if (global) result.GlobalSecondaryIndexes = global;
    if (local) result.LocalSecondaryIndexes = local;
  }
  return result;
}
