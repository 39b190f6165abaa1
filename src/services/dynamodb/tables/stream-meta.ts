/**
 * Stream metadata, kept apart from the table record because a stream outlives its table: DynamoDB
 * lists a disabled stream (and the stream of a deleted table) as DISABLED for 24 hours, with its
 * records still readable. Written when a stream is enabled, updated when it is disabled or its table
 * deleted; the DynamoDB Streams API (ListStreams, DescribeStream) reads it.
 */
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import { tupleRange } from "../../../storage/tuple.ts";
import { streamMetaKey } from "../items-store/layout.ts";
import type { KeySchemaElement, StreamRecord, StreamViewType, TableRecord } from "./record.ts";

export interface StreamMeta {
  /** 16 bytes hex: the key of the stream's records (items-store/streams.ts). */
  streamId: string;
  label: string;
  account: string;
  region: string;
  tableName: string;
  tableId: string;
  viewType: StreamViewType;
  keySchema: KeySchemaElement[];
  createdAt: number;
  /** Epoch ms when the stream was disabled (or its table deleted). */
  disabledAt?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function streamMetaOf(record: TableRecord, stream: StreamRecord, disabledAt?: number): StreamMeta {
  return {
    streamId: stream.id,
    label: stream.label,
    account: record.account,
    region: record.region,
    tableName: record.name,
    tableId: record.id,
    viewType: stream.viewType,
    keySchema: record.keySchema,
    createdAt: stream.createdAt,
    ...(disabledAt !== undefined && { disabledAt }),
  };
}

export function putStreamMeta(tx: KvTransaction, meta: StreamMeta): void {
  tx.put(
    streamMetaKey(meta.account, meta.region, meta.tableName, meta.label),
    encoder.encode(JSON.stringify(meta)),
  );
}

export async function getStreamMeta(
  reader: KvReader,
  account: string,
  region: string,
  tableName: string,
  label: string,
): Promise<StreamMeta | undefined> {
  const bytes = await reader.get(streamMetaKey(account, region, tableName, label));
  return bytes === undefined ? undefined : (JSON.parse(decoder.decode(bytes)) as StreamMeta);
}

/** The streams of an account and region (of one table if named), by table name then label. */
export async function listStreamMeta(
  reader: KvReader,
  account: string,
  region: string,
  tableName?: string,
): Promise<StreamMeta[]> {
  const range =
    tableName === undefined
      ? tupleRange("dynamodb", "stream-meta", account, region)
      : tupleRange("dynamodb", "stream-meta", account, region, tableName);
  const out: StreamMeta[] = [];
  for await (const entry of reader.range(range))
    out.push(JSON.parse(decoder.decode(entry.value)) as StreamMeta);
  return out;
}

/** The label DynamoDB gives a stream: its creation time, ISO 8601 with milliseconds and no zone. */
export function streamLabel(createdAtMs: number): string {
  return new Date(createdAtMs).toISOString().replace("Z", "");
}
