/**
 * GetRecords: the records after an iterator's position, oldest first, at most Limit (default and
 * maximum 1000) and at most 1 MB of SizeBytes (at least one record), with the iterator to continue
 * from. Records come out exactly as they were appended in the write's transaction
 * (items-store/streams.ts), so a stream never shows a rolled-back write nor misses an acknowledged one.
 *
 * A closed shard (disabled stream, deleted table) answers no NextShardIterator once its last record
 * has been read, as DynamoDB does (Alternator's test_streams_closed_read, run against DynamoDB); an
 * open shard always answers one, also with no records.
 *
 * Checks, in this order: the model, the Limit maximum, the iterator's form (ValidationException), its
 * age (ExpiredIteratorException after 15 minutes), the stream (ResourceNotFoundException once it is
 * forgotten), and whether the first record to read was trimmed (TrimmedDataAccessException).
 */
import type { RequestContext } from "../../../aws/context.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import { lastStreamSequence, readStreamRecords } from "../../dynamodb/items-store/streams.ts";
import type { DynamoDbStore } from "../../dynamodb/store.ts";
import { type Json, num, str } from "../../dynamodb/tables/input.ts";
import { expiredIterator, invalidShardIterator, limitTooHigh, trimmedDataAccess } from "../errors.ts";
import { decodeIterator, encodeIterator, ITERATOR_LIFETIME_MS } from "../iterator.ts";
import { isTrimmed, requireStream } from "../streams.ts";

export const GET_RECORDS_LIMIT_MAX = 1000;
/** "GetRecords can retrieve a maximum of 1 MB of data or 1000 stream records" (API reference). */
export const GET_RECORDS_BYTES_MAX = 1024 * 1024;

export function getRecords(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodbstreams", "GetRecords", input);
    const limit = num(input.Limit) ?? GET_RECORDS_LIMIT_MAX;
    if (limit > GET_RECORDS_LIMIT_MAX) throw limitTooHigh(limit, GET_RECORDS_LIMIT_MAX);
    const position = decodeIterator(str(input.ShardIterator) ?? "");
    if (!position) throw invalidShardIterator();
    const now = store.nowMs();
    if (now - position.issuedAt > ITERATOR_LIFETIME_MS) throw expiredIterator();
    const meta = await requireStream(store, context, position.streamArn);
    if (meta.streamId !== position.streamId) throw invalidShardIterator();

    const read = await readStreamRecords(store.storage, meta.streamId, position.after, limit);
    // The first record to read is past the 24-hour window (or already gone from storage).
    const first = read[0];
    if (first && (first.sequence !== position.after + 1 || isTrimmed(first.record, now)))
      throw trimmedDataAccess();
    const records = [];
    let bytes = 0;
    let after = position.after;
    for (const { sequence, record } of read) {
      bytes += record.dynamodb.SizeBytes;
      if (records.length > 0 && bytes > GET_RECORDS_BYTES_MAX) break;
      records.push(record);
      after = sequence;
    }

    const ended =
      meta.disabledAt !== undefined && after >= (await lastStreamSequence(store.storage, meta.streamId));
    return {
      Records: records,
      ...(!ended && {
        NextShardIterator: encodeIterator({
          streamArn: position.streamArn,
          streamId: meta.streamId,
          after,
          issuedAt: now,
        }),
      }),
    };
  };
}
