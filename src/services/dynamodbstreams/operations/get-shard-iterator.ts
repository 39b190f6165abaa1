/**
 * GetShardIterator: a position in a stream's shard, handed out as an opaque iterator (iterator.ts).
 *
 * - TRIM_HORIZON: the oldest record still readable (24-hour window, streams.ts).
 * - LATEST: just after the most recent record; records written afterwards are read.
 * - AT_SEQUENCE_NUMBER n: record n onwards. n may be the shard's StartingSequenceNumber before any
 *   record exists (the next record to be written), as clients do with a fresh stream.
 * - AFTER_SEQUENCE_NUMBER n: the records after n.
 *
 * Checks, in this order: the model (coral), the ARN's form, the type/SequenceNumber pairing, the
 * stream, the shard, the sequence number, and whether the record it points at was trimmed
 * (TrimmedDataAccessException, API reference). A closed shard (disabled stream, deleted table) still
 * hands out iterators for its remaining 24 hours.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import { parseSequenceNumber } from "../../dynamodb/items-store/streams.ts";
import type { DynamoDbStore } from "../../dynamodb/store.ts";
import { type Json, str } from "../../dynamodb/tables/input.ts";
import {
  invalidSequenceNumber,
  invalidStreamArn,
  sequenceNumberNotAllowed,
  sequenceNumberRequired,
  shardNotFound,
  trimmedDataAccess,
} from "../errors.ts";
import { encodeIterator } from "../iterator.ts";
import { parseStreamArn, requireStream, shardState, streamArnOf } from "../streams.ts";

type IteratorType = "TRIM_HORIZON" | "LATEST" | "AT_SEQUENCE_NUMBER" | "AFTER_SEQUENCE_NUMBER";

export function getShardIterator(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodbstreams", "GetShardIterator", input);
    const arn = str(input.StreamArn) ?? "";
    const type = str(input.ShardIteratorType) as IteratorType;
    const sequenceText = str(input.SequenceNumber);
    if (!parseStreamArn(arn)) throw invalidStreamArn();
    const bySequence = type === "AT_SEQUENCE_NUMBER" || type === "AFTER_SEQUENCE_NUMBER";
    if (bySequence && sequenceText === undefined) throw sequenceNumberRequired(type);
    if (!bySequence && sequenceText !== undefined) throw sequenceNumberNotAllowed(type);

    const meta = await requireStream(store, context, arn);
    const now = store.nowMs();
    const state = await shardState(store.storage, meta, now);
    if (str(input.ShardId) !== state.shardId) throw shardNotFound();

    let after: number;
    if (type === "TRIM_HORIZON") after = state.horizon - 1;
    else if (type === "LATEST") after = state.last;
    else {
      const text = sequenceText!;
      const sequence = parseSequenceNumber(text);
      const at = type === "AT_SEQUENCE_NUMBER";
      // AT may name the next record to be written (StartingSequenceNumber of an empty shard).
      if (sequence === undefined || (at ? sequence < 1 || sequence > state.last + 1 : sequence > state.last))
        throw invalidSequenceNumber(text, state.shardId);
      after = at ? sequence - 1 : sequence;
    }
    // The record the iterator would read first is older than the trim horizon.
    if (after + 1 < state.horizon) throw trimmedDataAccess();
    return {
      ShardIterator: encodeIterator({
        streamArn: streamArnOf(meta),
        streamId: meta.streamId,
        after,
        issuedAt: now,
      }),
    };
  };
}
