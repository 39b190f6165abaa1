/**
 * DynamoDB Streams (awsJson1_0, X-Amz-Target DynamoDBStreams_20120810.*, signing name dynamodb): the
 * four read operations over the stream records DynamoDB appends in the same transaction as each write
 * (dynamodb/items-store/streams.ts) and the stream metadata it keeps (dynamodb/tables/stream-meta.ts).
 * It shares the DynamoDB service's one DynamoDbStore (registry.ts) and keeps no state of its own:
 * shard iterators carry their position (iterator.ts).
 *
 * ## Gaps
 * - One shard per stream, never split or rolled over (DynamoDB opens a new shard about every four
 *   hours and splits busy ones); ParentShardId never appears and CHILD_SHARDS lists nothing.
 * - Records and streams past the 24-hour window are hidden when read, not deleted from storage.
 * - No rate limits (DynamoDB allows about 5 GetRecords per shard per second and 10 DescribeStream per
 *   second), so LimitExceededException is never answered.
 * - AWS's texts for invalid iterators and sequence numbers are not recorded; errors.ts marks ours.
 * - The Limit maxima are checked after coral's model check, so a request with several invalid members
 *   lists the others alone.
 *
 * ## By design
 * - StreamStatus is ENABLED or DISABLED; ENABLING and DISABLING, which DynamoDB shows for a few
 *   seconds, are skipped like the table's CREATING (see dynamodb/store.ts).
 * - StartingSequenceNumber is the first record still readable, so AT_SEQUENCE_NUMBER with it reads
 *   from the trim horizon.
 */
import { jsonHandler } from "../../aws/protocols/json-operation.ts";
import type { DynamoDbStore } from "../dynamodb/store.ts";
import type { OperationHandler } from "../service.ts";
import { describeStream } from "./operations/describe-stream.ts";
import { getRecords } from "./operations/get-records.ts";
import { getShardIterator } from "./operations/get-shard-iterator.ts";
import { listStreams } from "./operations/list-streams.ts";

export interface DynamoDbStreamsService {
  operations: Record<string, OperationHandler>;
}

/** The Streams API over the DynamoDB service's store (never a second store over the same data). */
export function createDynamoDbStreamsService(store: DynamoDbStore): DynamoDbStreamsService {
  return {
    operations: {
      ListStreams: jsonHandler(listStreams(store)),
      DescribeStream: jsonHandler(describeStream(store)),
      GetShardIterator: jsonHandler(getShardIterator(store)),
      GetRecords: jsonHandler(getRecords(store)),
    },
  };
}
