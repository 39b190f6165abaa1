import type { Item } from "../../attribute-value.ts";
import {
  type CapacityUsage,
  type ConsumedCapacity,
  consumedCapacity,
  type ReadConsistency,
  type ReturnConsumedCapacity,
  readUnits,
} from "../../capacity.ts";
import { itemSizeBytes } from "../../values.ts";

/** The capacity reading one item (or finding none) consumes. */
export function readUsage(item: Item | undefined, consistency: ReadConsistency): CapacityUsage {
  return { kind: "read", table: readUnits(item === undefined ? 0 : itemSizeBytes(item), consistency) };
}

interface TableTotals {
  name: string;
  write: CapacityUsage;
  read: CapacityUsage;
}

function addInto(total: CapacityUsage, usage: CapacityUsage): void {
  total.table += usage.table;
  for (const group of ["globalIndexes", "localIndexes"] as const) {
    for (const [name, units] of Object.entries(usage[group] ?? {})) {
      total[group] = { ...total[group], [name]: (total[group]?.[name] ?? 0) + units };
    }
  }
}

/** Sums capacity per table and renders ConsumedCapacity the way capacity.ts shapes it. */
export class CapacityTally {
  readonly #tables = new Map<string, TableTotals>();

  /** `split`: report ReadCapacityUnits/WriteCapacityUnits (transactions) or CapacityUnits alone. */
  constructor(private readonly split: boolean) {}

  /** Names a table so that it is reported even if nothing is added for it (in first-seen order). */
  touch(tableName: string): TableTotals {
    let totals = this.#tables.get(tableName);
    if (totals === undefined) {
      totals = { name: tableName, write: { kind: "write", table: 0 }, read: { kind: "read", table: 0 } };
      this.#tables.set(tableName, totals);
    }
    return totals;
  }

  add(tableName: string, usage: CapacityUsage): void {
    const totals = this.touch(tableName);
    addInto(usage.kind === "write" ? totals.write : totals.read, usage);
  }

  /**
   * One ConsumedCapacity per table, or undefined when none was asked for. A table with both reads
   * (a transaction's ConditionCheck) and writes reports both unit kinds, CapacityUnits their sum.
   */
  render(mode: ReturnConsumedCapacity | undefined, kind: "read" | "write"): ConsumedCapacity[] | undefined {
    if (mode !== "TOTAL" && mode !== "INDEXES") return undefined;
    const result: ConsumedCapacity[] = [];
    for (const totals of this.#tables.values()) {
      let main = kind === "write" ? totals.write : totals.read;
      let other = kind === "write" ? totals.read : totals.write;
      // A table only checked (ConditionCheck) reports reads alone.
      if (main.table === 0 && other.table > 0) [main, other] = [other, main];
      const entry = consumedCapacity(mode, totals.name, { ...main, split: this.split }) as ConsumedCapacity;
      if (other.table > 0 && this.split) {
        entry.CapacityUnits += other.table;
        if (other.kind === "read") entry.ReadCapacityUnits = other.table;
        else entry.WriteCapacityUnits = other.table;
        if (entry.Table) {
          entry.Table.CapacityUnits += other.table;
          if (other.kind === "read") entry.Table.ReadCapacityUnits = other.table;
          else entry.Table.WriteCapacityUnits = other.table;
        }
      }
      result.push(entry);
    }
    return result;
  }
}
