/**
 * TableDescription as DynamoDB writes it (CreateTable, DescribeTable, UpdateTable, DeleteTable). Members
 * appear only when DynamoDB shows them: BillingModeSummary for PAY_PER_REQUEST tables (and tables that
 * were), StreamSpecification only while a stream is enabled while LatestStreamArn/Label stay after it
 * is disabled, SSEDescription only for KMS encryption, TableClassSummary once a class was chosen.
 * Times are epoch seconds (fractional), as the awsJson protocol writes timestamps.
 */
import type { Counter } from "../items-store/codec.ts";
import type { TableCounts } from "../items-store/item-store.ts";
import {
  type IndexRecord,
  indexStatus,
  streamArn,
  type TableRecord,
  type TableStatus,
  type TableView,
  type Throughput,
  tableArn,
  tableStatus,
} from "./record.ts";

export type Description = Record<string, unknown>;

const seconds = (ms: number) => ms / 1000;

/** The UUID form of a 16-byte hex id (ids are made from random v4 UUIDs, see store.ts). */
export function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function throughputDescription(throughput: Throughput): Description {
  return {
    ...(throughput.lastIncreaseAt !== undefined && {
      LastIncreaseDateTime: seconds(throughput.lastIncreaseAt),
    }),
    ...(throughput.lastDecreaseAt !== undefined && {
      LastDecreaseDateTime: seconds(throughput.lastDecreaseAt),
    }),
    NumberOfDecreasesToday: throughput.decreasesToday,
    ReadCapacityUnits: throughput.read,
    WriteCapacityUnits: throughput.write,
  };
}

function projectionOf(index: IndexRecord): Description {
  const { ProjectionType, NonKeyAttributes } = index.projection;
  return { ProjectionType, ...(NonKeyAttributes && { NonKeyAttributes }) };
}

function indexArn(record: TableRecord, index: IndexRecord): string {
  return `${tableArn(record.region, record.account, record.name)}/index/${index.name}`;
}

const EMPTY: Counter = { count: 0, bytes: 0 };

export interface DescribeOptions {
  /** CreateTable and UpdateTable answer with the status the change starts in. */
  tableStatus?: TableStatus;
  /** CreateTable reports every GSI as CREATING. */
  indexStatus?: "CREATING";
}

export function describeTable(
  view: TableView,
  counts: TableCounts | undefined,
  nowMs: number,
  options: DescribeOptions = {},
): Description {
  const record = view.record;
  const count = (name: string) => counts?.indexes.get(name) ?? EMPTY;
  const lsis = record.lsis.map((index) => ({
    IndexName: index.name,
    KeySchema: index.keySchema,
    Projection: projectionOf(index),
    IndexSizeBytes: count(index.name).bytes,
    ItemCount: count(index.name).count,
    IndexArn: indexArn(record, index),
  }));
  const gsis = record.gsis.map((index) => {
    const status = options.indexStatus ?? indexStatus(record, index, nowMs);
    return {
      IndexName: index.name,
      KeySchema: index.keySchema,
      Projection: projectionOf(index),
      IndexStatus: status,
      ...(status === "CREATING" && !index.backfilled && { Backfilling: true }),
      ProvisionedThroughput: throughputDescription(
        index.throughput ?? { read: 0, write: 0, decreasesToday: 0 },
      ),
      IndexSizeBytes: count(index.name).bytes,
      ItemCount: count(index.name).count,
      IndexArn: indexArn(record, index),
      ...(index.onDemand && { OnDemandThroughput: index.onDemand }),
    };
  });
  const stream = record.stream;
  return {
    AttributeDefinitions: record.attributeDefinitions,
    TableName: record.name,
    KeySchema: record.keySchema,
    TableStatus: options.tableStatus ?? tableStatus(record, nowMs),
    CreationDateTime: seconds(record.createdAt),
    ProvisionedThroughput: throughputDescription(record.throughput),
    TableSizeBytes: counts?.table.bytes ?? 0,
    ItemCount: counts?.table.count ?? 0,
    TableArn: view.arn,
    TableId: uuidOf(record.id),
    ...billingSummary(record),
    ...(lsis.length > 0 && { LocalSecondaryIndexes: lsis }),
    ...(gsis.length > 0 && { GlobalSecondaryIndexes: gsis }),
    ...(stream?.enabled && { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.viewType } }),
    ...(stream && { LatestStreamLabel: stream.label, LatestStreamArn: streamArn(record, stream) }),
    ...(record.sse && {
      SSEDescription: { Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: record.sse.kmsKeyArn },
    }),
    ...(record.tableClass && {
      TableClassSummary: {
        TableClass: record.tableClass.name,
        ...(record.tableClass.updatedAt !== undefined && {
          LastUpdateDateTime: seconds(record.tableClass.updatedAt),
        }),
      },
    }),
    DeletionProtectionEnabled: record.deletionProtection,
    ...(record.onDemand && { OnDemandThroughput: record.onDemand }),
  };
}

function billingSummary(record: TableRecord): Description {
  if (!record.billingSummary) return {};
  return {
    BillingModeSummary: {
      BillingMode: record.billingMode,
      ...(record.payPerRequestSince !== undefined && {
        LastUpdateToPayPerRequestDateTime: seconds(record.payPerRequestSince),
      }),
    },
  };
}

/**
 * DeleteTable's answer: the table's identity, throughput and counts with TableStatus DELETING, but no
 * key schema, attribute definitions, creation time or indexes (recorded from DynamoDB by Alternator's
 * test_delete_table_description*).
 */
export function describeDeleting(view: TableView, counts: TableCounts | undefined): Description {
  const record = view.record;
  return {
    TableName: record.name,
    TableStatus: "DELETING",
    ProvisionedThroughput: throughputDescription(record.throughput),
    TableSizeBytes: counts?.table.bytes ?? 0,
    ItemCount: counts?.table.count ?? 0,
    TableArn: view.arn,
    TableId: uuidOf(record.id),
    ...billingSummary(record),
    DeletionProtectionEnabled: record.deletionProtection,
  };
}
