/** ListStreams and DescribeStream over streams created, disabled and deleted through DynamoDB. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateTableCommand, DeleteTableCommand, UpdateTableCommand } from "@aws-sdk/client-dynamodb";
import { DescribeStreamCommand, ListStreamsCommand } from "@aws-sdk/client-dynamodb-streams";
import { useStratus } from "../../support/stratus.ts";
import { rejects, simpleTable, uniqueName } from "../dynamodb/helpers.ts";
import { ACCOUNT, REGION } from "./helpers.ts";

const streamSpec = (type: "KEYS_ONLY" | "NEW_IMAGE" | "OLD_IMAGE" | "NEW_AND_OLD_IMAGES") => ({
  StreamSpecification: { StreamEnabled: true, StreamViewType: type },
});
const missingArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/no-such-table/stream/2024-01-01T00:00:00.000`;

describe("DynamoDB Streams: ListStreams and DescribeStream", () => {
  const stratus = useStratus({ inMemory: true });

  async function createStreamTable(name: string, type: Parameters<typeof streamSpec>[0] = "KEYS_ONLY") {
    const { TableDescription } = await stratus
      .dynamodb()
      .send(new CreateTableCommand(simpleTable(name, streamSpec(type))));
    assert.ok(TableDescription?.LatestStreamArn && TableDescription.LatestStreamLabel);
    return { arn: TableDescription.LatestStreamArn, label: TableDescription.LatestStreamLabel };
  }

  it("lists the streams of the account and region, filtered by table and paged", async () => {
    const streams = stratus.dynamodbStreams();
    const prefix = uniqueName("list");
    const a = await createStreamTable(`${prefix}-a`);
    const b = await createStreamTable(`${prefix}-b`, "NEW_IMAGE");
    await stratus.dynamodb().send(new CreateTableCommand(simpleTable(`${prefix}-c`)));

    const all = await streams.send(new ListStreamsCommand({}));
    const mine = (all.Streams ?? []).filter((stream) => stream.TableName?.startsWith(prefix));
    assert.deepEqual(mine, [
      { StreamArn: a.arn, TableName: `${prefix}-a`, StreamLabel: a.label },
      { StreamArn: b.arn, TableName: `${prefix}-b`, StreamLabel: b.label },
    ]);
    assert.equal(all.LastEvaluatedStreamArn, undefined);

    const one = await streams.send(new ListStreamsCommand({ TableName: `${prefix}-b` }));
    assert.deepEqual(one.Streams, [{ StreamArn: b.arn, TableName: `${prefix}-b`, StreamLabel: b.label }]);
    const none = await streams.send(new ListStreamsCommand({ TableName: `${prefix}-c` }));
    assert.deepEqual(none.Streams, []);
    const noTable = await streams.send(new ListStreamsCommand({ TableName: "no-such-table" }));
    assert.deepEqual(noTable.Streams, []);

    // Page one stream at a time: every stream once, LastEvaluatedStreamArn only while more follow.
    const seen: string[] = [];
    let start: string | undefined;
    for (;;) {
      const page = await streams.send(new ListStreamsCommand({ Limit: 1, ExclusiveStartStreamArn: start }));
      assert.ok((page.Streams ?? []).length <= 1);
      seen.push(...(page.Streams ?? []).map((stream) => stream.StreamArn!));
      start = page.LastEvaluatedStreamArn;
      if (start === undefined) break;
      assert.equal(start, seen[seen.length - 1]);
    }
    assert.deepEqual(
      seen,
      (all.Streams ?? []).map((stream) => stream.StreamArn),
    );
  });

  it("hides streams from other accounts", async () => {
    const name = uniqueName("acct");
    const { arn } = await createStreamTable(name);
    const other = stratus.dynamodbStreams({ accessKeyId: "111111111111", secretAccessKey: "test" });
    const listed = await other.send(new ListStreamsCommand({ TableName: name }));
    assert.deepEqual(listed.Streams, []);
    await rejects(
      other.send(new DescribeStreamCommand({ StreamArn: arn })),
      "ResourceNotFoundException",
      `Requested resource not found: Stream: ${arn} not found`,
    );
  });

  it("describes an enabled stream and its one open shard", async () => {
    const name = uniqueName("describe");
    const before = Date.now();
    const { arn, label } = await createStreamTable(name, "NEW_AND_OLD_IMAGES");
    const { StreamDescription } = await stratus
      .dynamodbStreams()
      .send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.ok(StreamDescription);
    const { CreationRequestDateTime, Shards, ...rest } = StreamDescription;
    assert.deepEqual(rest, {
      StreamArn: arn,
      StreamLabel: label,
      StreamStatus: "ENABLED",
      StreamViewType: "NEW_AND_OLD_IMAGES",
      TableName: name,
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    });
    assert.ok(CreationRequestDateTime instanceof Date);
    assert.ok(Math.abs(CreationRequestDateTime.getTime() - before) < 5000);
    assert.equal(CreationRequestDateTime.toISOString().replace("Z", ""), label);
    assert.equal(Shards?.length, 1);
    const shard = Shards[0]!;
    assert.match(shard.ShardId!, /^shardId-[0-9]{20}-[0-9a-f]{8}$/);
    assert.deepEqual(Object.keys(shard.SequenceNumberRange ?? {}), ["StartingSequenceNumber"]);
    assert.match(shard.SequenceNumberRange!.StartingSequenceNumber!, /^[0-9]{21}$/);
    assert.equal(shard.ParentShardId, undefined);
  });

  it("pages shards with ExclusiveStartShardId and Limit, and filters children", async () => {
    const { arn } = await createStreamTable(uniqueName("shards"));
    const client = stratus.dynamodbStreams();
    const first = await client.send(new DescribeStreamCommand({ StreamArn: arn, Limit: 1 }));
    const shardId = first.StreamDescription?.Shards?.[0]?.ShardId;
    assert.ok(shardId);
    assert.equal(first.StreamDescription?.LastEvaluatedShardId, undefined);
    const after = await client.send(
      new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: shardId }),
    );
    assert.deepEqual(after.StreamDescription?.Shards, []);
    // A shard id the stream never had is no error (DynamoDB answers an empty page too).
    const unknown = await client.send(
      new DescribeStreamCommand({
        StreamArn: arn,
        ExclusiveStartShardId: "zzzzzzzzzzzzzzzzzzzzzzzzsfasdgagadfadfgagkjsdfs",
      }),
    );
    assert.deepEqual(unknown.StreamDescription?.Shards, []);
    const children = await client.send(
      new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: "CHILD_SHARDS", ShardId: shardId } }),
    );
    assert.deepEqual(children.StreamDescription?.Shards, []);
  });

  it("keeps a disabled stream, DISABLED with a closed shard, next to the new one", async () => {
    const name = uniqueName("disable");
    const dynamodb = stratus.dynamodb();
    const streams = stratus.dynamodbStreams();
    const first = await createStreamTable(name);
    await dynamodb.send(
      new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }),
    );
    const disabled = await streams.send(new DescribeStreamCommand({ StreamArn: first.arn }));
    assert.equal(disabled.StreamDescription?.StreamStatus, "DISABLED");
    const range = disabled.StreamDescription?.Shards?.[0]?.SequenceNumberRange;
    assert.match(range?.EndingSequenceNumber ?? "", /^[0-9]{21}$/);

    await new Promise((resolve) => setTimeout(resolve, 2)); // a new label needs a new millisecond
    const { TableDescription } = await dynamodb.send(
      new UpdateTableCommand({ TableName: name, ...streamSpec("OLD_IMAGE") }),
    );
    const second = TableDescription?.LatestStreamArn;
    assert.ok(second && second !== first.arn);
    const listed = await streams.send(new ListStreamsCommand({ TableName: name }));
    assert.deepEqual(
      listed.Streams?.map((stream) => stream.StreamArn),
      [first.arn, second],
    );
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: second }));
    assert.equal(described.StreamDescription?.StreamStatus, "ENABLED");
    assert.equal(described.StreamDescription?.StreamViewType, "OLD_IMAGE");
  });

  it("keeps the stream of a deleted table, DISABLED", async () => {
    const name = uniqueName("deleted");
    const { arn } = await createStreamTable(name);
    await stratus.dynamodb().send(new DeleteTableCommand({ TableName: name }));
    const streams = stratus.dynamodbStreams();
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.equal(StreamDescription?.StreamStatus, "DISABLED");
    assert.equal(StreamDescription?.TableName, name);
    const listed = await streams.send(new ListStreamsCommand({ TableName: name }));
    assert.deepEqual(
      listed.Streams?.map((stream) => stream.StreamArn),
      [arn],
    );
  });

  it("answers DynamoDB Streams' errors", async () => {
    const streams = stratus.dynamodbStreams();
    await rejects(
      streams.send(new DescribeStreamCommand({ StreamArn: missingArn })),
      "ResourceNotFoundException",
      `Requested resource not found: Stream: ${missingArn} not found`,
    );
    const malformed = "arn:aws:dynamodb:us-east-1:000000000000:table/t/not-a-stream";
    await rejects(
      streams.send(new DescribeStreamCommand({ StreamArn: malformed })),
      "ValidationException",
      "Invalid StreamArn",
    );
    await rejects(
      streams.send(new ListStreamsCommand({ ExclusiveStartStreamArn: malformed })),
      "ValidationException",
      "Invalid StreamArn",
    );
    await rejects(
      streams.send(new ListStreamsCommand({ Limit: 101 })),
      "ValidationException",
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    await rejects(
      streams.send(new DescribeStreamCommand({ StreamArn: missingArn, Limit: 101 })),
      "ValidationException",
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    await rejects(
      streams.send(new ListStreamsCommand({ Limit: 0 })),
      "ValidationException",
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });
});
