/**
 * What the four operations share: finding a stream by its ARN, and the state of its one shard.
 *
 * A stream's metadata (DynamoDB's tables/stream-meta.ts) outlives disabling the stream and deleting its
 * table; DynamoDB keeps such a stream, DISABLED and readable, for 24 hours, then forgets it. Records
 * are likewise readable for 24 hours after they were written (the "trim horizon"). Stratus applies
 * both rules when reading: nothing is deleted here, records older than the window are simply treated
 * as trimmed (TRIM_HORIZON starts after them, reading them answers TrimmedDataAccessException).
 *
 * Each stream has exactly one shard (items-store/streams.ts `shardIdOf`), open while the stream is
 * enabled and closed (EndingSequenceNumber = the last record's) once it is disabled or its table
 * deleted. Its StartingSequenceNumber is the trim horizon: the first record still readable, or the
 * next one to be written when there is none.
 */
import type { RequestContext } from "../../aws/context.ts";
import type { KvReader } from "../../storage/kv.ts";
import {
  lastStreamSequence,
  readStreamRecord,
  type StreamRecordData,
  sequenceNumberText,
  shardIdOf,
} from "../dynamodb/items-store/streams.ts";
import type { DynamoDbStore } from "../dynamodb/store.ts";
import { tableArn } from "../dynamodb/tables/record.ts";
import { getStreamMeta, type StreamMeta } from "../dynamodb/tables/stream-meta.ts";
import { invalidStreamArn, streamNotFound } from "./errors.ts";

/** How long DynamoDB keeps stream records, and a disabled stream (Streams developer guide: 24 hours). */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface StreamArnParts {
  region: string;
  account: string;
  tableName: string;
  label: string;
}

const STREAM_ARN =
  /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):([0-9]{12}):table\/([a-zA-Z0-9_.-]{3,255})\/stream\/([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3})$/;

/** The parts of a stream ARN, or undefined when the text is not one ("Invalid StreamArn"). */
export function parseStreamArn(arn: string): StreamArnParts | undefined {
  const match = STREAM_ARN.exec(arn);
  if (!match) return undefined;
  return { region: match[1]!, account: match[2]!, tableName: match[3]!, label: match[4]! };
}

export function streamArnOf(meta: StreamMeta): string {
  return `${tableArn(meta.region, meta.account, meta.tableName)}/stream/${meta.label}`;
}

export function shardIdOfMeta(meta: StreamMeta): string {
  return shardIdOf({ id: meta.streamId, createdAt: meta.createdAt });
}

/** A disabled stream (or the stream of a deleted table) stays visible for 24 hours. */
export function isVisible(meta: StreamMeta, nowMs: number): boolean {
  return meta.disabledAt === undefined || nowMs - meta.disabledAt < STREAM_RETENTION_MS;
}

/**
 * The stream an ARN names, as the caller's account and region see it: ValidationException "Invalid
 * StreamArn" for text that is not a stream ARN, ResourceNotFoundException for a stream that does not
 * exist here (another account or region, never created, or forgotten 24 hours after it was disabled).
 */
export async function requireStream(
  store: DynamoDbStore,
  context: RequestContext,
  arn: string,
): Promise<StreamMeta> {
  const parts = parseStreamArn(arn);
  if (!parts) throw invalidStreamArn();
  if (parts.account !== context.accountId || parts.region !== context.region) throw streamNotFound(arn);
  const meta = await getStreamMeta(store.storage, parts.account, parts.region, parts.tableName, parts.label);
  if (!meta || !isVisible(meta, store.nowMs())) throw streamNotFound(arn);
  return meta;
}

/**
 * Whether a record is past the 24-hour window. ApproximateCreationDateTime is whole seconds (rounded
 * down), so a record counts as trimmed only once even the end of its second is older than the window.
 */
export function isTrimmed(record: StreamRecordData, nowMs: number): boolean {
  return (record.dynamodb.ApproximateCreationDateTime + 1) * 1000 <= nowMs - STREAM_RETENTION_MS;
}

export interface ShardState {
  shardId: string;
  /** The last sequence number handed out (0 before the first record). */
  last: number;
  /** The first sequence number still readable (last + 1 when every record is trimmed or none exists). */
  horizon: number;
  /** Closed: the stream is disabled or its table deleted; no record will follow `last`. */
  closed: boolean;
}

/**
 * The first readable sequence number: records are dense (1..last) and in time order, so a binary
 * search finds the first untrimmed one in O(log n) reads. A record missing from storage counts as
 * trimmed, so a later physical trim needs no change here.
 */
async function trimHorizon(reader: KvReader, streamId: string, last: number, nowMs: number): Promise<number> {
  const readable = async (sequence: number) => {
    const record = await readStreamRecord(reader, streamId, sequence);
    return record !== undefined && !isTrimmed(record, nowMs);
  };
  if (last === 0 || (await readable(1))) return 1;
  let low = 2;
  let high = last + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (await readable(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

export async function shardState(reader: KvReader, meta: StreamMeta, nowMs: number): Promise<ShardState> {
  const last = await lastStreamSequence(reader, meta.streamId);
  return {
    shardId: shardIdOfMeta(meta),
    last,
    horizon: await trimHorizon(reader, meta.streamId, last, nowMs),
    closed: meta.disabledAt !== undefined,
  };
}

/** The shard as DescribeStream lists it. */
export function describeShard(state: ShardState) {
  return {
    ShardId: state.shardId,
    SequenceNumberRange: {
      StartingSequenceNumber: sequenceNumberText(state.horizon),
      ...(state.closed && { EndingSequenceNumber: sequenceNumberText(state.last) }),
    },
  };
}
