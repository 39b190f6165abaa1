/**
 * CreateTable: model validation, DynamoDB's own checks (tables/create-spec.ts), then the table record
 * in one transaction with the existence check, so two concurrent creates of one name cannot both win.
 * The answer says CREATING (GSIs too); DescribeTable shows ACTIVE after the store's activation delay.
 */
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../../aws/context.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import { tableAlreadyExists } from "../errors.ts";
import type { DynamoDbStore } from "../store.ts";
import { type IndexSpec, validateCreateTable } from "../tables/create-spec.ts";
import { describeTable } from "../tables/describe.ts";
import { type Json, resolveTableName } from "../tables/input.ts";
import type { IndexRecord, StreamViewType, TableRecord, Throughput } from "../tables/record.ts";
import { tableView } from "../tables/record.ts";
import { putStreamMeta, streamLabel, streamMetaOf } from "../tables/stream-meta.ts";
import { mergeTags, readTags } from "../tables/tags.ts";

export function zeroThroughput(): Throughput {
  return { read: 0, write: 0, decreasesToday: 0 };
}

export function indexRecord(
  store: DynamoDbStore,
  spec: IndexSpec,
  nowMs: number,
  backfilled: boolean,
): IndexRecord {
  return {
    name: spec.name,
    id: store.newId(),
    keySchema: spec.keySchema,
    projection: spec.projection,
    ...(spec.throughput && { throughput: { ...spec.throughput, decreasesToday: 0 } }),
    ...(spec.onDemand && { onDemand: spec.onDemand }),
    createdAt: nowMs,
    backfilled,
  };
}

/** The KMS key ARN DynamoDB reports for a key id, alias or ARN (a fresh AWS-managed key if none). */
export function kmsKeyArn(context: RequestContext, keyId: string | undefined): string {
  if (keyId?.startsWith("arn:")) return keyId;
  const resource =
    keyId === undefined ? `key/${randomUUID()}` : keyId.startsWith("alias/") ? keyId : `key/${keyId}`;
  return `arn:aws:kms:${context.region}:${context.accountId}:${resource}`;
}

export function createTable(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "CreateTable", input);
    const name = resolveTableName(input.TableName, context);
    const spec = validateCreateTable(input);
    const tags = mergeTags([], readTags(input.Tags));
    const now = store.nowMs();
    const record: TableRecord = {
      format: 1,
      id: store.newId(),
      name,
      account: context.accountId,
      region: context.region,
      keySchema: spec.keySchema,
      attributeDefinitions: spec.attributeDefinitions,
      billingMode: spec.billingMode,
      ...(spec.billingMode === "PAY_PER_REQUEST" && { payPerRequestSince: now }),
      billingSummary: spec.billingMode === "PAY_PER_REQUEST",
      throughput: spec.throughput ? { ...spec.throughput, decreasesToday: 0 } : zeroThroughput(),
      ...(spec.onDemand && { onDemand: spec.onDemand }),
      lsis: spec.lsis.map((index) => indexRecord(store, index, now, true)),
      gsis: spec.gsis.map((index) => {
        const gsi = indexRecord(store, index, now, true);
        return { ...gsi, throughput: gsi.throughput ?? zeroThroughput() };
      }),
      ...(spec.stream && {
        stream: {
          enabled: true,
          viewType: spec.stream.viewType as StreamViewType,
          label: streamLabel(now),
          id: store.newId(),
          createdAt: now,
        },
      }),
      ...(spec.sse && { sse: { kmsKeyArn: kmsKeyArn(context, spec.sse.kmsMasterKeyId) } }),
      ...(spec.tableClass !== undefined && { tableClass: { name: spec.tableClass } }),
      deletionProtection: spec.deletionProtection,
      tags,
      createdAt: now,
      activeAt: now + store.tableActivationMs,
    };
    return store.storage.transaction(async (tx) => {
      if (await store.tables.get(tx, context.accountId, context.region, name)) throw tableAlreadyExists(name);
      store.tables.put(tx, record);
      if (record.stream) putStreamMeta(tx, streamMetaOf(record, record.stream));
      const description = describeTable(tableView(record), undefined, now, {
        tableStatus: "CREATING",
        indexStatus: "CREATING",
      });
      return { TableDescription: description };
    });
  };
}
