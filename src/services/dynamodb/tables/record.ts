/**
 * A table as stored (TableRecord, JSON under the table's metadata key) and as the item store uses it
 * (TableView: key attributes, index and stream details resolved once).
 *
 * Statuses are not stored: they follow from timestamps and the injected clock (CREATING until
 * `activeAt`, UPDATING until `updatingUntil`, a GSI CREATING until its backfill is done), so they need no
 * timers, survive restarts, and tests move them with a ManualClock.
 */
import type { KeyType } from "../keys.ts";

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: "HASH" | "RANGE";
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: KeyType;
}

export type ProjectionType = "ALL" | "KEYS_ONLY" | "INCLUDE";

export interface Projection {
  ProjectionType: ProjectionType;
  NonKeyAttributes?: string[];
}

export type StreamViewType = "NEW_IMAGE" | "OLD_IMAGE" | "NEW_AND_OLD_IMAGES" | "KEYS_ONLY";

export interface Tag {
  Key: string;
  Value: string;
}

/** Provisioned throughput; all zero for PAY_PER_REQUEST. Times are epoch milliseconds. */
export interface Throughput {
  read: number;
  write: number;
  decreasesToday: number;
  lastIncreaseAt?: number;
  lastDecreaseAt?: number;
}

export interface OnDemandThroughput {
  MaxReadRequestUnits?: number;
  MaxWriteRequestUnits?: number;
}

export interface IndexRecord {
  name: string;
  /** 16 random bytes (hex): index entries are keyed by it, so a re-created index never sees old entries. */
  id: string;
  keySchema: KeySchemaElement[];
  projection: Projection;
  /** GSIs only. */
  throughput?: Throughput;
  onDemand?: OnDemandThroughput;
  createdAt: number;
  /** False while an index added by UpdateTable is being filled from the table's items. */
  backfilled: boolean;
}

export interface StreamRecord {
  enabled: boolean;
  viewType: StreamViewType;
  /** The stream label: the creation time as ISO 8601 without the zone, as DynamoDB writes it. */
  label: string;
  /** 16 random bytes (hex): stream records are keyed by it. */
  id: string;
  createdAt: number;
}

export interface TableRecord {
  format: 1;
  /** 16 random bytes (hex), shown as the TableId UUID; item keys carry it, never the name. */
  id: string;
  name: string;
  account: string;
  region: string;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  billingMode: "PROVISIONED" | "PAY_PER_REQUEST";
  /** When the table last became PAY_PER_REQUEST (BillingModeSummary.LastUpdateToPayPerRequestDateTime). */
  payPerRequestSince?: number;
  /** Whether BillingModeSummary is reported (PAY_PER_REQUEST tables, and tables switched back). */
  billingSummary: boolean;
  throughput: Throughput;
  onDemand?: OnDemandThroughput;
  lsis: IndexRecord[];
  gsis: IndexRecord[];
  /** The latest stream; kept (disabled) after StreamEnabled=false, as LatestStreamArn lingers. */
  stream?: StreamRecord;
  sse?: { kmsKeyArn: string };
  tableClass?: { name: string; updatedAt?: number };
  deletionProtection: boolean;
  tags: Tag[];
  /** Present while TTL is enabled. */
  ttl?: { attributeName: string };
  createdAt: number;
  activeAt: number;
  updatingUntil?: number;
}

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

export interface IndexView {
  name: string;
  kind: "LSI" | "GSI";
  id: Uint8Array;
  hash: KeyAttribute;
  range: KeyAttribute | undefined;
  projection: ProjectionType;
  /** INCLUDE: the non-key attributes copied into the index. */
  include: ReadonlySet<string>;
  record: IndexRecord;
}

export interface TableView {
  record: TableRecord;
  id: Uint8Array;
  arn: string;
  hash: KeyAttribute;
  range: KeyAttribute | undefined;
  indexes: readonly IndexView[];
  /** The enabled stream, if any. */
  stream: { id: Uint8Array; viewType: StreamViewType; arn: string } | undefined;
}

export function tableArn(region: string, account: string, name: string): string {
  return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
}

export function streamArn(record: TableRecord, stream: StreamRecord): string {
  return `${tableArn(record.region, record.account, record.name)}/stream/${stream.label}`;
}

export function hexBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, "hex"));
}

/** The type of a key attribute, from the table's AttributeDefinitions. */
function keyAttribute(record: TableRecord, schema: KeySchemaElement[], keyType: "HASH" | "RANGE") {
  const name = schema.find((element) => element.KeyType === keyType)?.AttributeName;
  if (name === undefined) return undefined;
  const type = record.attributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType ?? "S";
  return { name, type };
}

function indexView(record: TableRecord, index: IndexRecord, kind: "LSI" | "GSI"): IndexView {
  return {
    name: index.name,
    kind,
    id: hexBytes(index.id),
    hash: keyAttribute(record, index.keySchema, "HASH")!,
    range: keyAttribute(record, index.keySchema, "RANGE"),
    projection: index.projection.ProjectionType,
    include: new Set(index.projection.NonKeyAttributes ?? []),
    record: index,
  };
}

export function tableView(record: TableRecord): TableView {
  const stream = record.stream?.enabled ? record.stream : undefined;
  return {
    record,
    id: hexBytes(record.id),
    arn: tableArn(record.region, record.account, record.name),
    hash: keyAttribute(record, record.keySchema, "HASH")!,
    range: keyAttribute(record, record.keySchema, "RANGE"),
    indexes: [
      ...record.lsis.map((index) => indexView(record, index, "LSI")),
      ...record.gsis.map((index) => indexView(record, index, "GSI")),
    ],
    stream: stream && { id: hexBytes(stream.id), viewType: stream.viewType, arn: streamArn(record, stream) },
  };
}

export type TableStatus = "CREATING" | "UPDATING" | "ACTIVE" | "DELETING";

export function tableStatus(record: TableRecord, nowMs: number): TableStatus {
  if (nowMs < record.activeAt) return "CREATING";
  if (record.updatingUntil !== undefined && nowMs < record.updatingUntil) return "UPDATING";
  return "ACTIVE";
}

/** A GSI is CREATING until the table is active and its backfill is done. */
export function indexStatus(record: TableRecord, index: IndexRecord, nowMs: number): "CREATING" | "ACTIVE" {
  return nowMs < record.activeAt || !index.backfilled ? "CREATING" : "ACTIVE";
}
