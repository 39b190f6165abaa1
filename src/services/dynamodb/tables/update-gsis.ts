/**
 * UpdateTable's GlobalSecondaryIndexUpdates against the table: Update changes an index's throughput,
 * Create adds an index that starts CREATING and is filled by a backfill job, Delete removes an index
 * whose entries a drop job removes. Applied to a copy of the table record inside the transaction.
 */
import {
  indexAlreadyExists,
  indexNotFound,
  indexThroughputBlocked,
  invalidParameter,
  notAGlobalIndex,
  onlineIndexLimit,
  throughputUnchanged,
} from "../errors.ts";
import { CAPACITY_UNITS_MAX, checkNewGsi, readThroughput } from "./create-spec.ts";
import type { IndexRecord, TableRecord, Throughput } from "./record.ts";
import type { UpdateRequest } from "./update-checks.ts";

/** Applies a throughput change, keeping DynamoDB's increase/decrease bookkeeping. */
export function changeThroughput(
  current: Throughput,
  requested: { read: number; write: number },
  nowMs: number,
): Throughput {
  const next: Throughput = { ...current, read: requested.read, write: requested.write };
  if (requested.read > current.read || requested.write > current.write) next.lastIncreaseAt = nowMs;
  if (requested.read < current.read || requested.write < current.write) {
    next.lastDecreaseAt = nowMs;
    next.decreasesToday = current.decreasesToday + 1;
  }
  return next;
}

export interface GsiChanges {
  created: IndexRecord[];
  deleted: IndexRecord[];
}

export function applyGsiActions(
  record: TableRecord,
  request: UpdateRequest,
  billingMode: TableRecord["billingMode"],
  nowMs: number,
  makeIndex: (spec: ReturnType<typeof checkNewGsi>) => IndexRecord,
): GsiChanges {
  const changes: GsiChanges = { created: [], deleted: [] };
  const structural = request.gsiActions.some((action) => action.kind !== "Update");
  if (structural && record.gsis.some((gsi) => !gsi.backfilled)) throw onlineIndexLimit();
  for (const { kind, name, action } of request.gsiActions) {
    const gsi = record.gsis.find((candidate) => candidate.name === name);
    const isLsi = record.lsis.some((candidate) => candidate.name === name);
    if (kind === "Create") {
      if (gsi || isLsi) throw indexAlreadyExists();
      const definitions = request.attributeDefinitions;
      if (!definitions) throw invalidParameter(`AttributeDefinitions is not specified for index: ${name}`);
      const spec = checkNewGsi(
        action,
        definitions.map((d) => d.AttributeName),
        billingMode,
        new Set(),
        "update",
      );
      for (const definition of definitions) {
        if (!record.attributeDefinitions.some((d) => d.AttributeName === definition.AttributeName)) {
          record.attributeDefinitions.push(definition);
        }
      }
      const created = makeIndex(spec);
      record.gsis.push(created);
      changes.created.push(created);
      continue;
    }
    if (!gsi) {
      if (isLsi) throw notAGlobalIndex(kind === "Delete" ? "delete" : "update", name);
      throw indexNotFound(name, record.name);
    }
    if (kind === "Delete") {
      record.gsis = record.gsis.filter((candidate) => candidate !== gsi);
      changes.deleted.push(gsi);
      // DynamoDB keeps only the definitions some key still uses.
      const used = new Set(
        [
          ...record.keySchema,
          ...record.lsis.flatMap((i) => i.keySchema),
          ...record.gsis.flatMap((i) => i.keySchema),
        ].map((k) => k.AttributeName),
      );
      record.attributeDefinitions = record.attributeDefinitions.filter((d) => used.has(d.AttributeName));
      continue;
    }
    const throughput = readThroughput(action.ProvisionedThroughput);
    if (throughput) {
      if (billingMode === "PAY_PER_REQUEST") {
        throw invalidParameter(
          `The only Updates for index: ${name} when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput`,
        );
      }
      if (throughput.read > CAPACITY_UNITS_MAX || throughput.write > CAPACITY_UNITS_MAX)
        throw indexThroughputBlocked();
      const current = gsi.throughput ?? { read: 0, write: 0, decreasesToday: 0 };
      if (current.read === throughput.read && current.write === throughput.write) {
        throw throughputUnchanged(`index ${name}`, current, throughput);
      }
      gsi.throughput = changeThroughput(current, throughput, nowMs);
    }
  }
  return changes;
}
