/**
 * DescribeStream: a stream's status, view type, table and key schema, and its shards. Stratus gives
 * each stream one shard, so ExclusiveStartShardId (compared as text, the order DynamoDB lists shards
 * in) and Limit page over at most one entry; ShardFilter CHILD_SHARDS lists the children of a shard,
 * which no Stratus shard has. An ExclusiveStartShardId the stream does not have is no error, as in
 * DynamoDB (Alternator's test_describe_stream_with_nonexistent_last_shard, run against DynamoDB).
 */
import type { RequestContext } from "../../../aws/context.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import type { DynamoDbStore } from "../../dynamodb/store.ts";
import { type Json, num, obj, str } from "../../dynamodb/tables/input.ts";
import { limitTooHigh } from "../errors.ts";
import { describeShard, requireStream, shardState, streamArnOf } from "../streams.ts";

export const DESCRIBE_STREAM_LIMIT_MAX = 100;

export function describeStream(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodbstreams", "DescribeStream", input);
    const limit = num(input.Limit) ?? DESCRIBE_STREAM_LIMIT_MAX;
    if (limit > DESCRIBE_STREAM_LIMIT_MAX) throw limitTooHigh(limit, DESCRIBE_STREAM_LIMIT_MAX);
    const meta = await requireStream(store, context, str(input.StreamArn) ?? "");
    const state = await shardState(store.storage, meta, store.nowMs());

    const exclusiveStart = str(input.ExclusiveStartShardId);
    const filter = obj(input.ShardFilter);
    const shards =
      filter?.Type === "CHILD_SHARDS"
        ? [] // One shard per stream: no shard has children.
        : [describeShard(state)].filter(
            (shard) => exclusiveStart === undefined || shard.ShardId > exclusiveStart,
          );
    const page = shards.slice(0, limit);
    return {
      StreamDescription: {
        StreamArn: streamArnOf(meta),
        StreamLabel: meta.label,
        StreamStatus: meta.disabledAt === undefined ? "ENABLED" : "DISABLED",
        StreamViewType: meta.viewType,
        CreationRequestDateTime: meta.createdAt / 1000,
        TableName: meta.tableName,
        KeySchema: meta.keySchema,
        Shards: page,
        ...(shards.length > limit && { LastEvaluatedShardId: page[page.length - 1]!.ShardId }),
      },
    };
  };
}
