/**
 * DynamoDB stream records reaching a function through an event source mapping: the exact event
 * (compared with what the DynamoDB Streams API answers for the same records), order, BatchSize,
 * filters, LATEST versus TRIM_HORIZON, and disabling/enabling.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamsRecord,
} from "@aws-sdk/client-dynamodb-streams";
import {
  CreateEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  UpdateEventSourceMappingCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import {
  createRecorder,
  createStreamTable,
  idsPerInvoke,
  invokesOf,
  waitFor,
  waitForRecords,
} from "./esm-helpers.ts";

describe("Lambda event source mappings: delivery", () => {
  const stratus = useStratus({ inMemory: true });
  let scratch = "";
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "stratus-esm-delivery-"));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  const put = (tableName: string, id: string, extra: Record<string, unknown> = {}) =>
    stratus
      .dynamodb()
      .send(new PutItemCommand({ TableName: tableName, Item: { id: { S: id }, ...extra } as never }));

  it("hands the function each change as Lambda's DynamoDB event, in stream order", async () => {
    const lambda = stratus.lambda();
    const dynamodb = stratus.dynamodb();
    const { tableName, streamArn } = await createStreamTable(dynamodb);
    const fn = await createRecorder(lambda, scratch);
    const started = Math.floor(Date.now() / 1000);
    await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn.name,
        StartingPosition: "LATEST",
      }),
    );
    await put(tableName, "a", { n: { N: "1" } });
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { id: { S: "a" } },
        UpdateExpression: "SET n = :two",
        ExpressionAttributeValues: { ":two": { N: "2" } },
      }),
    );
    await dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { id: { S: "a" } } }));
    await waitForRecords(fn.file, 3);
    const records = (await invokesOf(fn.file)).flatMap((invoke) => invoke.Records);
    assert.deepEqual(
      records.map((r) => r.eventName),
      ["INSERT", "MODIFY", "REMOVE"],
    );

    // The same records as the DynamoDB Streams API reads them, plus eventSourceARN.
    const streams = stratus.dynamodbStreams();
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardId = described.StreamDescription?.Shards?.[0]?.ShardId;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    const read = await streams.send(new GetRecordsCommand({ ShardIterator }));
    assert.equal(read.Records?.length, 3);
    for (const [i, record] of records.entries()) {
      const expected: StreamsRecord = read.Records![i]!;
      assert.deepEqual(Object.keys(record), [
        "eventID",
        "eventName",
        "eventVersion",
        "eventSource",
        "awsRegion",
        "dynamodb",
        "eventSourceARN",
      ]);
      assert.equal(record.eventID, expected.eventID);
      assert.match(record.eventID, /^[0-9a-f]{32}$/);
      assert.equal(record.eventName, expected.eventName);
      assert.equal(record.eventVersion, "1.1");
      assert.equal(record.eventSource, "aws:dynamodb");
      assert.equal(record.awsRegion, "us-east-1");
      assert.equal(record.eventSourceARN, streamArn);
      const { ApproximateCreationDateTime, ...dynamodbPart } = record.dynamodb;
      assert.equal(typeof ApproximateCreationDateTime, "number");
      assert.equal(
        ApproximateCreationDateTime,
        Math.floor(expected.dynamodb!.ApproximateCreationDateTime!.getTime() / 1000),
      );
      assert.ok(
        ApproximateCreationDateTime >= started - 1 && ApproximateCreationDateTime <= Date.now() / 1000 + 1,
      );
      const { ApproximateCreationDateTime: _, ...expectedPart } = expected.dynamodb!;
      assert.deepEqual(dynamodbPart, expectedPart);
    }
    assert.deepEqual(records[0]!.dynamodb.NewImage, { id: { S: "a" }, n: { N: "1" } });
    assert.equal(records[0]!.dynamodb.OldImage, undefined);
    assert.deepEqual(records[1]!.dynamodb.OldImage, { id: { S: "a" }, n: { N: "1" } });
    assert.deepEqual(records[1]!.dynamodb.NewImage, { id: { S: "a" }, n: { N: "2" } });
    assert.deepEqual(records[2]!.dynamodb.OldImage, { id: { S: "a" }, n: { N: "2" } });
    assert.equal(records[2]!.dynamodb.NewImage, undefined);
    assert.deepEqual(records[2]!.dynamodb.Keys, { id: { S: "a" } });
    assert.equal(records[0]!.dynamodb.StreamViewType, "NEW_AND_OLD_IMAGES");
    const sequences = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
    assert.ok(sequences[0]! < sequences[1]! && sequences[1]! < sequences[2]!);
  });

  it("batches up to BatchSize, oldest first", async () => {
    const lambda = stratus.lambda();
    const { tableName, streamArn } = await createStreamTable(stratus.dynamodb());
    const fn = await createRecorder(lambda, scratch);
    for (const id of ["r1", "r2", "r3", "r4", "r5"]) await put(tableName, id);
    const { UUID } = await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn.name,
        StartingPosition: "TRIM_HORIZON",
        BatchSize: 2,
      }),
    );
    assert.deepEqual(await waitForRecords(fn.file, 5), [["r1", "r2"], ["r3", "r4"], ["r5"]]);
    const done = await waitFor("LastProcessingResult OK", async () => {
      const got = await lambda.send(new GetEventSourceMappingCommand({ UUID }));
      return got.LastProcessingResult === "OK" ? got : undefined;
    });
    assert.equal(done.State, "Enabled");
  });

  it("gathers records for MaximumBatchingWindowInSeconds before invoking", async () => {
    const lambda = stratus.lambda();
    const { tableName, streamArn } = await createStreamTable(stratus.dynamodb());
    const fn = await createRecorder(lambda, scratch);
    await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn.name,
        StartingPosition: "LATEST",
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 3,
      }),
    );
    // Written well within the window: one invoke with both, not one invoke each.
    await put(tableName, "w1");
    await put(tableName, "w2");
    assert.deepEqual(await waitForRecords(fn.file, 2), [["w1", "w2"]]);
  });

  it("reads from the start of the stream with TRIM_HORIZON and only new records with LATEST", async () => {
    const lambda = stratus.lambda();
    const { tableName, streamArn } = await createStreamTable(stratus.dynamodb());
    const fromStart = await createRecorder(lambda, scratch);
    const fromNow = await createRecorder(lambda, scratch);
    await put(tableName, "before");
    for (const [fn, position] of [
      [fromStart, "TRIM_HORIZON"],
      [fromNow, "LATEST"],
    ] as const) {
      await lambda.send(
        new CreateEventSourceMappingCommand({
          EventSourceArn: streamArn,
          FunctionName: fn.name,
          StartingPosition: position,
        }),
      );
    }
    await put(tableName, "after");
    assert.deepEqual((await waitForRecords(fromStart.file, 2)).flat(), ["before", "after"]);
    assert.deepEqual((await waitForRecords(fromNow.file, 1)).flat(), ["after"]);
  });

  it("delivers only the records a filter matches (OR of patterns, prefixes, DynamoDB JSON)", async () => {
    const lambda = stratus.lambda();
    const { tableName, streamArn } = await createStreamTable(stratus.dynamodb());
    const fn = await createRecorder(lambda, scratch);
    await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn.name,
        StartingPosition: "LATEST",
        FilterCriteria: {
          Filters: [
            {
              Pattern: JSON.stringify({
                eventName: ["INSERT"],
                dynamodb: { NewImage: { kind: { S: [{ prefix: "keep" }] } } },
              }),
            },
            { Pattern: JSON.stringify({ dynamodb: { Keys: { id: { S: ["sentinel"] } } } }) },
          ],
        },
      }),
    );
    await put(tableName, "k1", { kind: { S: "keep-me" } });
    await put(tableName, "d1", { kind: { S: "drop-me" } });
    await put(tableName, "k1", { kind: { S: "keep-again" } }); // MODIFY: not an INSERT
    await put(tableName, "n1", { kind: { N: "1" } }); // "S" in the pattern: an N never matches
    await put(tableName, "sentinel");
    const ids = await waitFor("the sentinel", async () => {
      const seen = await idsPerInvoke(fn.file);
      return seen.flat().includes("sentinel") ? seen : undefined;
    });
    assert.deepEqual(ids.flat(), ["k1", "sentinel"]);
  });

  it("stops while disabled and resumes where it stopped once enabled", async () => {
    const lambda = stratus.lambda();
    const { tableName, streamArn } = await createStreamTable(stratus.dynamodb());
    const fn = await createRecorder(lambda, scratch);
    const { UUID } = await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn.name,
        StartingPosition: "LATEST",
      }),
    );
    await put(tableName, "one");
    await waitForRecords(fn.file, 1);
    const disabling = await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }));
    assert.equal(disabling.State, "Disabling");
    await put(tableName, "two");
    // Long enough for several polls (4 a second) of an enabled mapping.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual((await idsPerInvoke(fn.file)).flat(), ["one"]);
    assert.equal((await lambda.send(new GetEventSourceMappingCommand({ UUID }))).State, "Disabled");
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true }));
    assert.deepEqual((await waitForRecords(fn.file, 2)).flat(), ["one", "two"]);
  });
});
