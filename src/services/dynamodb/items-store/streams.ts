/**
 * Stream records, appended in the same transaction as the write they describe, so a stream never shows
 * a write that was rolled back nor misses one that was acknowledged.
 *
 * Each stream has one shard (`shardIdOf`); records are keyed by (stream id, sequence number) and the
 * sequence numbers strictly increase: a 21-digit decimal (10^20 + n), so text order is numeric order.
 * A record is stored in the DynamoDB Streams API shape of `Record` (GetRecords returns it as is):
 * eventID, eventName, eventVersion, eventSource, awsRegion, dynamodb {ApproximateCreationDateTime (epoch
 * seconds), Keys, NewImage/OldImage as the StreamViewType asks, SequenceNumber, SizeBytes,
 * StreamViewType}, and userIdentity for deletions made by the service (TTL).
 *
 * SizeBytes is the item size of Keys plus the images it carries (recorded from AWS: KEYS_ONLY
 * `{"Username":{"S":"Fred"}}` is 12; an INSERT of `{"id":{"S":"Fred"}}` with NEW_AND_OLD_IMAGES is 12).
 */
import { randomBytes } from "node:crypto";
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import type { Item } from "../attribute-value.ts";
import type { StreamRecord, StreamViewType, TableView } from "../tables/record.ts";
import { itemSizeBytes as itemSize } from "../values.ts";
import { decodeItem, encodeItem } from "./codec.ts";
import { afterPrefix, concat, STREAM_PREFIX, streamRecordKey, streamSeqKey } from "./layout.ts";

export type StreamEventName = "INSERT" | "MODIFY" | "REMOVE";

/** Who made a change, when it was not a client: TTL deletions are made by DynamoDB itself. */
export const TTL_IDENTITY = { PrincipalId: "dynamodb.amazonaws.com", Type: "Service" } as const;

export interface StreamRecordData {
  eventID: string;
  eventName: StreamEventName;
  eventVersion: "1.1";
  eventSource: "aws:dynamodb";
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  userIdentity?: { PrincipalId: string; Type: string };
}

const SEQUENCE_BASE = 10n ** 20n;

export function sequenceNumberText(sequence: number): string {
  return (SEQUENCE_BASE + BigInt(sequence)).toString();
}

/**
 * The number of a sequence number text, or undefined when it is not one this store hands out (21
 * digits, 10^20 + n with n >= 0). Inverse of `sequenceNumberText`.
 */
export function parseSequenceNumber(text: string): number | undefined {
  if (!/^[0-9]{21}$/.test(text)) return undefined;
  const n = BigInt(text) - SEQUENCE_BASE;
  return n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(n);
}

/** The one shard of a stream: `shardId-<creation ms, 20 digits>-<8 hex of the stream id>`. */
export function shardIdOf(stream: Pick<StreamRecord, "createdAt" | "id">): string {
  return `shardId-${String(stream.createdAt).padStart(20, "0")}-${stream.id.slice(0, 8)}`;
}

function keysOf(table: TableView, item: Item): Item {
  const keys: Item = { [table.hash.name]: item[table.hash.name]! };
  if (table.range) keys[table.range.name] = item[table.range.name]!;
  return keys;
}

export async function appendStreamRecord(
  tx: KvTransaction,
  table: TableView,
  change: { eventName: StreamEventName; oldItem?: Item; newItem?: Item; now: Date; byService?: boolean },
): Promise<void> {
  const stream = table.stream;
  if (!stream) return;
  const seqKey = streamSeqKey(stream.id);
  const last = await tx.get(seqKey);
  const sequence =
    (last === undefined ? 0 : Number(new DataView(last.buffer, last.byteOffset).getBigUint64(0))) + 1;
  const seqBytes = new Uint8Array(8);
  new DataView(seqBytes.buffer).setBigUint64(0, BigInt(sequence));
  tx.put(seqKey, seqBytes);

  const Keys = keysOf(table, (change.newItem ?? change.oldItem)!);
  const view = stream.viewType;
  const NewImage = view === "NEW_IMAGE" || view === "NEW_AND_OLD_IMAGES" ? change.newItem : undefined;
  const OldImage = view === "OLD_IMAGE" || view === "NEW_AND_OLD_IMAGES" ? change.oldItem : undefined;
  const record: StreamRecordData = {
    eventID: randomBytes(16).toString("hex"),
    eventName: change.eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: table.record.region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(change.now.getTime() / 1000),
      Keys,
      ...(NewImage && { NewImage }),
      ...(OldImage && { OldImage }),
      SequenceNumber: sequenceNumberText(sequence),
      SizeBytes: itemSize(Keys) + (NewImage ? itemSize(NewImage) : 0) + (OldImage ? itemSize(OldImage) : 0),
      StreamViewType: view,
    },
    ...(change.byService && { userIdentity: { ...TTL_IDENTITY } }),
  };
  // A record is an object, not an item, but the same JSON codec (and its format tag) serves both.
  tx.put(streamRecordKey(stream.id, sequence), encodeItem(record as unknown as Item));
}

/** The last sequence number a stream has handed out (0 before its first record). */
export async function lastStreamSequence(reader: KvReader, streamIdHex: string): Promise<number> {
  const last = await reader.get(streamSeqKey(new Uint8Array(Buffer.from(streamIdHex, "hex"))));
  return last === undefined ? 0 : Number(new DataView(last.buffer, last.byteOffset).getBigUint64(0));
}

/** One record of a stream by its sequence number, if it is stored. */
export async function readStreamRecord(
  reader: KvReader,
  streamIdHex: string,
  sequence: number,
): Promise<StreamRecordData | undefined> {
  const bytes = await reader.get(streamRecordKey(new Uint8Array(Buffer.from(streamIdHex, "hex")), sequence));
  return bytes === undefined ? undefined : (decodeItem(bytes) as unknown as StreamRecordData);
}

/**
 * The records of a stream from `afterSequence` (exclusive; 0 = from the start), oldest first, at most
 * `limit`: what GetRecords reads.
 */
export async function readStreamRecords(
  reader: KvReader,
  streamIdHex: string,
  afterSequence: number,
  limit: number,
): Promise<{ sequence: number; record: StreamRecordData }[]> {
  const streamId = new Uint8Array(Buffer.from(streamIdHex, "hex"));
  const prefix = concat(STREAM_PREFIX, streamId);
  const out: { sequence: number; record: StreamRecordData }[] = [];
  for await (const entry of reader.range({
    start: streamRecordKey(streamId, afterSequence + 1),
    end: afterPrefix(prefix),
    limit,
  })) {
    const sequence = Number(new DataView(entry.key.buffer, entry.key.byteOffset).getBigUint64(prefix.length));
    out.push({ sequence, record: decodeItem(entry.value) as unknown as StreamRecordData });
  }
  return out;
}
