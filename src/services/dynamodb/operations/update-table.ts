/**
 * UpdateTable: throughput, billing mode, GSI create (with backfill) / update / delete, stream on and
 * off, SSE, table class, deletion protection, on-demand throughput. Shape checks first
 * (tables/update-checks.ts), then every change against the table in one transaction, so a rejected
 * request changes nothing. The answer shows UPDATING (a created GSI CREATING with Backfilling, a deleted
 * one DELETING); DescribeTable shows ACTIVE after the store's update delay, a new GSI once filled.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import {
  invalidParameter,
  noStreamToDisable,
  streamAlreadyEnabled,
  tableBeingCreated,
  tableNotFound,
  throughputUnchanged,
} from "../errors.ts";
import { concat, INDEX_PREFIX } from "../items-store/layout.ts";
import type { DynamoDbStore } from "../store.ts";
import { checkOnDemand, readOnDemand } from "../tables/create-spec.ts";
import { type Json, resolveTableName } from "../tables/input.ts";
import { type StreamViewType, type TableRecord, tableStatus, tableView } from "../tables/record.ts";
import { putStreamMeta, streamLabel, streamMetaOf } from "../tables/stream-meta.ts";
import { type UpdateRequest, validateUpdateTable } from "../tables/update-checks.ts";
import { applyGsiActions, changeThroughput } from "../tables/update-gsis.ts";
import { indexRecord, kmsKeyArn, zeroThroughput } from "./create-table.ts";

function applyBilling(record: TableRecord, request: UpdateRequest, nowMs: number): void {
  const switchingTo = request.billingMode !== record.billingMode ? request.billingMode : undefined;
  if (switchingTo === "PAY_PER_REQUEST") {
    record.billingMode = "PAY_PER_REQUEST";
    record.billingSummary = true;
    record.payPerRequestSince = nowMs;
    record.throughput = { ...record.throughput, read: 0, write: 0 };
    for (const gsi of record.gsis)
      gsi.throughput = { ...(gsi.throughput ?? zeroThroughput()), read: 0, write: 0 };
    return;
  }
  if (switchingTo === "PROVISIONED") {
    const updated = new Set(request.gsiActions.filter((a) => a.kind === "Update").map((a) => a.name));
    const missing = record.gsis.filter((gsi) => !updated.has(gsi.name)).map((gsi) => gsi.name);
    if (missing.length > 0)
      throw invalidParameter(`ProvisionedThroughput must be specified for index: ${missing.join(",")}`);
    record.billingMode = "PROVISIONED";
    record.throughput = { ...record.throughput, ...request.throughput! };
    return;
  }
  if (request.throughput) {
    const requested = request.throughput;
    if (requested.read === record.throughput.read && requested.write === record.throughput.write) {
      throw throughputUnchanged("table", record.throughput, requested);
    }
    record.throughput = changeThroughput(record.throughput, requested, nowMs);
  }
}

function applyStream(store: DynamoDbStore, record: TableRecord, request: UpdateRequest, nowMs: number) {
  const wanted = request.stream;
  if (!wanted) return undefined;
  if (wanted.enabled) {
    if (record.stream?.enabled) throw streamAlreadyEnabled(record.name);
    const viewType = wanted.viewType as StreamViewType;
    record.stream = {
      enabled: true,
      viewType,
      label: streamLabel(nowMs),
      id: store.newId(),
      createdAt: nowMs,
    };
    return streamMetaOf(record, record.stream);
  }
  if (!record.stream?.enabled) throw noStreamToDisable(record.name);
  record.stream = { ...record.stream, enabled: false };
  return streamMetaOf(record, record.stream, nowMs);
}

export function updateTable(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "UpdateTable", input);
    const name = resolveTableName(input.TableName, context);
    const request = validateUpdateTable(input);
    const result = await store.storage.transaction(async (tx) => {
      const table = await store.tables.get(tx, context.accountId, context.region, name);
      if (!table) throw tableNotFound(name);
      const now = store.nowMs();
      if (tableStatus(table.record, now) === "CREATING") throw tableBeingCreated(name);
      const record = structuredClone(table.record);
      const billingMode = request.billingMode ?? record.billingMode;
      if (request.throughput && billingMode === "PAY_PER_REQUEST") {
        throw invalidParameter(
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        );
      }
      const onDemand = readOnDemand(request.onDemand);
      checkOnDemand(onDemand, billingMode, "table");
      applyBilling(record, request, now);
      const gsis = applyGsiActions(record, request, billingMode, now, (spec) => {
        const gsi = indexRecord(store, spec, now, false);
        return { ...gsi, throughput: gsi.throughput ?? zeroThroughput() };
      });
      const streamMeta = applyStream(store, record, request, now);
      if (request.sse) {
        if (request.sse.enabled) record.sse = { kmsKeyArn: kmsKeyArn(context, request.sse.kmsMasterKeyId) };
        else if (!record.sse) throw invalidParameter("Table is already encrypted by default");
        else delete record.sse;
      }
      if (request.tableClass !== undefined) record.tableClass = { name: request.tableClass, updatedAt: now };
      if (request.deletionProtection !== undefined) record.deletionProtection = request.deletionProtection;
      if (onDemand) record.onDemand = onDemand;
      const onlyProtection = request.deletionProtection !== undefined;
      if (!onlyProtection) record.updatingUntil = now + store.tableUpdateMs;

      store.tables.put(tx, record);
      if (streamMeta) putStreamMeta(tx, streamMeta);
      for (const created of gsis.created) {
        store.jobs.enqueue(tx, {
          kind: "backfill",
          account: record.account,
          region: record.region,
          table: name,
          tableId: record.id,
          indexId: created.id,
        });
      }
      for (const deleted of gsis.deleted) {
        const prefix = Buffer.from(concat(INDEX_PREFIX, Buffer.from(deleted.id, "hex"))).toString("hex");
        store.jobs.enqueue(tx, { kind: "drop", prefix, counterIds: [deleted.id] });
      }
      const description = await store.describe(
        tx,
        tableView(record),
        onlyProtection ? {} : { tableStatus: "UPDATING" },
      );
      const deleting = gsis.deleted.map((gsi) => ({
        IndexName: gsi.name,
        KeySchema: gsi.keySchema,
        Projection: gsi.projection,
        IndexStatus: "DELETING",
        ProvisionedThroughput: {
          NumberOfDecreasesToday: gsi.throughput?.decreasesToday ?? 0,
          ReadCapacityUnits: gsi.throughput?.read ?? 0,
          WriteCapacityUnits: gsi.throughput?.write ?? 0,
        },
        IndexArn: `${table.arn}/index/${gsi.name}`,
      }));
      if (deleting.length > 0) {
        const current = (description.GlobalSecondaryIndexes as unknown[] | undefined) ?? [];
        description.GlobalSecondaryIndexes = [...current, ...deleting];
      }
      return { TableDescription: description, jobs: gsis.created.length + gsis.deleted.length };
    });
    if (result.jobs > 0) store.jobs.kick();
    return { TableDescription: result.TableDescription };
  };
}
