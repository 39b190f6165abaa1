/**
 * GetShardIterator's four types, the iterator's form and lifetime (15 minutes), the 24-hour trim
 * horizon, and the errors of GetShardIterator and GetRecords. Time moves on a ManualClock shared by
 * the server and the clients' signatures.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { ManualClock } from "../../../src/aws/clock.ts";
import { rawRequest } from "../../support/raw-request.ts";
import { useStratus } from "../../support/stratus.ts";
import { rejects, simpleTable, uniqueName } from "../dynamodb/helpers.ts";
import { ItemWriter, iteratorOf, readAll, shardIdOf } from "./helpers.ts";

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

describe("DynamoDB Streams: shard iterators", () => {
  const clock = new ManualClock();
  const stratus = useStratus({ inMemory: true, clock });
  const writer = () => new ItemWriter(stratus.server.storage, clock);
  // Clients sign with the manual clock's time, so moving it never trips the signature's skew check.
  // The offset is set before each request: the SDK resets it from the response's Date header.
  const setOffset = (config: { systemClockOffset?: number }) => {
    config.systemClockOffset = clock.now().getTime() - Date.now();
  };
  const manualClockStep = { step: "build", name: "manualClockOffset" } as const;
  const streamsClient = () => {
    const client = new DynamoDBStreamsClient(stratus.clientConfig());
    client.middlewareStack.add(
      (next) => (args) => {
        setOffset(client.config);
        return next(args);
      },
      manualClockStep,
    );
    return client;
  };
  const dynamodbClient = () => {
    const client = new DynamoDBClient(stratus.clientConfig());
    client.middlewareStack.add(
      (next) => (args) => {
        setOffset(client.config);
        return next(args);
      },
      manualClockStep,
    );
    return client;
  };

  async function streamTable(name = uniqueName("iter")) {
    const client = dynamodbClient();
    const { TableDescription } = await client.send(
      new CreateTableCommand(
        simpleTable(name, { StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" } }),
      ),
    );
    client.destroy();
    assert.ok(TableDescription?.LatestStreamArn);
    return { name, arn: TableDescription.LatestStreamArn };
  }

  const keysOf = (records: { dynamodb?: { Keys?: Record<string, { S?: string }> } }[]) =>
    records.map((record) => record.dynamodb?.Keys?.pk?.S);

  it("starts where each iterator type says", async () => {
    const { name, arn } = await streamTable();
    const client = streamsClient();
    // AT the StartingSequenceNumber of an empty shard reads the records written afterwards.
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: arn }));
    const start = StreamDescription?.Shards?.[0]?.SequenceNumberRange?.StartingSequenceNumber;
    assert.ok(start);
    const atStart = await iteratorOf(client, arn, "AT_SEQUENCE_NUMBER", start);
    const latestBefore = await iteratorOf(client, arn, "LATEST");

    const items = writer();
    for (const key of ["a", "b", "c"]) await items.put(name, { pk: { S: key } });
    const all = (await readAll(client, atStart)).records;
    assert.deepEqual(keysOf(all), ["a", "b", "c"]);
    assert.equal(all[0]!.dynamodb?.SequenceNumber, start);
    assert.deepEqual(keysOf((await readAll(client, latestBefore)).records), ["a", "b", "c"]);

    const second = all[1]!.dynamodb!.SequenceNumber!;
    const at = await iteratorOf(client, arn, "AT_SEQUENCE_NUMBER", second);
    assert.deepEqual(keysOf((await readAll(client, at)).records), ["b", "c"]);
    const afterIt = await iteratorOf(client, arn, "AFTER_SEQUENCE_NUMBER", second);
    assert.deepEqual(keysOf((await readAll(client, afterIt)).records), ["c"]);
    const trim = await iteratorOf(client, arn, "TRIM_HORIZON");
    assert.deepEqual(keysOf((await readAll(client, trim)).records), ["a", "b", "c"]);

    const latest = await iteratorOf(client, arn, "LATEST");
    const empty = await client.send(new GetRecordsCommand({ ShardIterator: latest }));
    assert.deepEqual(empty.Records, []);
    assert.ok(empty.NextShardIterator);
    await items.put(name, { pk: { S: "d" } });
    assert.deepEqual(keysOf((await readAll(client, empty.NextShardIterator)).records), ["d"]);
    client.destroy();
  });

  it("hands out iterators of the form <stream arn>|1|<opaque>", async () => {
    const { arn } = await streamTable();
    const client = streamsClient();
    const iterator = await iteratorOf(client, arn, "TRIM_HORIZON");
    const escaped = arn.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    assert.match(iterator, new RegExp(`^${escaped}\\|1\\|[A-Za-z0-9+/]+=*$`));
    const { NextShardIterator } = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
    assert.match(NextShardIterator ?? "", new RegExp(`^${escaped}\\|1\\|`));
    client.destroy();
  });

  it("expires iterators 15 minutes after they are handed out", async () => {
    const { arn } = await streamTable();
    let client = streamsClient();
    const iterator = await iteratorOf(client, arn, "TRIM_HORIZON");
    client.destroy();
    clock.advance(15 * MINUTE);
    client = streamsClient();
    const fresh = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
    assert.ok(fresh.NextShardIterator);
    client.destroy();
    clock.advance(1);
    client = streamsClient();
    await rejects(
      client.send(new GetRecordsCommand({ ShardIterator: iterator })),
      "ExpiredIteratorException",
      "The provided iterator exceeds the maximum age allowed.",
    );
    // The iterator GetRecords handed out is new: it lives 15 minutes from its own issue.
    await client.send(new GetRecordsCommand({ ShardIterator: fresh.NextShardIterator }));
    client.destroy();
  });

  it("trims records older than 24 hours", async () => {
    const { name, arn } = await streamTable();
    const items = writer();
    await items.put(name, { pk: { S: "old1" } });
    await items.put(name, { pk: { S: "old2" } });
    let client = streamsClient();
    const oldIterator = await iteratorOf(client, arn, "TRIM_HORIZON");
    const oldRecords = (await readAll(client, oldIterator)).records;
    client.destroy();
    clock.advance(2 * HOUR);
    await items.put(name, { pk: { S: "new" } });
    clock.advance(22 * HOUR + 2000);

    client = streamsClient();
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: arn }));
    const start = StreamDescription?.Shards?.[0]?.SequenceNumberRange?.StartingSequenceNumber;
    assert.ok(start);
    assert.ok(
      BigInt(start) > BigInt(oldRecords[1]!.dynamodb!.SequenceNumber!),
      "the horizon moved past the old records",
    );
    const trim = await iteratorOf(client, arn, "TRIM_HORIZON");
    assert.deepEqual(keysOf((await readAll(client, trim)).records), ["new"]);
    assert.deepEqual(
      keysOf((await readAll(client, await iteratorOf(client, arn, "AT_SEQUENCE_NUMBER", start))).records),
      ["new"],
    );
    await rejects(
      iteratorOf(client, arn, "AT_SEQUENCE_NUMBER", oldRecords[0]!.dynamodb!.SequenceNumber!),
      "TrimmedDataAccessException",
      "The data you are trying to access has been trimmed",
    );
    // AFTER the last trimmed record is the horizon itself: allowed.
    const afterOld = await iteratorOf(
      client,
      arn,
      "AFTER_SEQUENCE_NUMBER",
      oldRecords[1]!.dynamodb!.SequenceNumber!,
    );
    assert.deepEqual(keysOf((await readAll(client, afterOld)).records), ["new"]);
    client.destroy();
  });

  it("fails an iterator whose next record is trimmed before it is used", async () => {
    const { name, arn } = await streamTable();
    await writer().put(name, { pk: { S: "a" } });
    clock.advance(24 * HOUR - 5 * MINUTE);
    let client = streamsClient();
    const iterator = await iteratorOf(client, arn, "TRIM_HORIZON");
    client.destroy();
    clock.advance(6 * MINUTE);
    client = streamsClient();
    await rejects(
      client.send(new GetRecordsCommand({ ShardIterator: iterator })),
      "TrimmedDataAccessException",
      "The data you are trying to access has been trimmed",
    );
    client.destroy();
  });

  it("forgets a disabled stream 24 hours after it was disabled", async () => {
    const { name, arn } = await streamTable();
    await writer().put(name, { pk: { S: "a" } });
    const dynamodb = dynamodbClient();
    await dynamodb.send(new DeleteTableCommand({ TableName: name }));
    dynamodb.destroy();
    clock.advance(24 * HOUR - 1);
    let client = streamsClient();
    assert.equal(
      (await client.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.StreamStatus,
      "DISABLED",
    );
    client.destroy();
    clock.advance(1);
    client = streamsClient();
    const listed = await client.send(new ListStreamsCommand({ TableName: name }));
    assert.deepEqual(listed.Streams, []);
    const notFound = `Requested resource not found: Stream: ${arn} not found`;
    await rejects(
      client.send(new DescribeStreamCommand({ StreamArn: arn })),
      "ResourceNotFoundException",
      notFound,
    );
    await rejects(iteratorOf(client, arn, "LATEST"), "ResourceNotFoundException", notFound);
    client.destroy();
  });

  it("answers GetShardIterator's and GetRecords' errors", async () => {
    const { name, arn } = await streamTable();
    await writer().put(name, { pk: { S: "a" } });
    const client = streamsClient();
    const shardId = await shardIdOf(client, arn);
    const base = { StreamArn: arn, ShardId: shardId };
    const sequence = (await readAll(client, await iteratorOf(client, arn, "TRIM_HORIZON"))).records[0]!
      .dynamodb!.SequenceNumber!;

    await rejects(
      client.send(new GetShardIteratorCommand({ ...base, ShardIteratorType: "AT_SEQUENCE_NUMBER" })),
      "ValidationException",
      "A SequenceNumber is required for ShardIteratorType AT_SEQUENCE_NUMBER",
    );
    await rejects(
      client.send(
        new GetShardIteratorCommand({ ...base, ShardIteratorType: "LATEST", SequenceNumber: sequence }),
      ),
      "ValidationException",
      "A SequenceNumber is not allowed for ShardIteratorType LATEST",
    );
    const beyond = (BigInt(sequence) + 5n).toString();
    await rejects(
      client.send(
        new GetShardIteratorCommand({
          ...base,
          ShardIteratorType: "AFTER_SEQUENCE_NUMBER",
          SequenceNumber: beyond,
        }),
      ),
      "ValidationException",
      `Invalid SequenceNumber ${beyond} for shard ${shardId}`,
    );
    await rejects(
      client.send(
        new GetShardIteratorCommand({
          ...base,
          ShardIteratorType: "AT_SEQUENCE_NUMBER",
          SequenceNumber: "x".repeat(21),
        }),
      ),
      "ValidationException",
      `Invalid SequenceNumber ${"x".repeat(21)} for shard ${shardId}`,
    );
    await rejects(
      client.send(
        new GetShardIteratorCommand({
          ...base,
          ShardId: "shardId-00000000000000000000-00000000",
          ShardIteratorType: "LATEST",
        }),
      ),
      "ResourceNotFoundException",
      "Requested resource not found: Shard does not exist",
    );
    const missing = arn.replace(name, "no-such-table");
    await rejects(
      client.send(new GetShardIteratorCommand({ ...base, StreamArn: missing, ShardIteratorType: "LATEST" })),
      "ResourceNotFoundException",
      `Requested resource not found: Stream: ${missing} not found`,
    );
    await rejects(
      client.send(
        new GetShardIteratorCommand({
          ...base,
          StreamArn: `${arn.split("/stream/")[0]}/index/x`,
          ShardIteratorType: "LATEST",
        }),
      ),
      "ValidationException",
      "Invalid StreamArn",
    );
    await rejects(
      client.send(new GetShardIteratorCommand({ ...base, ShardIteratorType: "AT_TIMESTAMP" as "LATEST" })),
      "ValidationException",
      "1 validation error detected: Value 'AT_TIMESTAMP' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]",
    );

    const iterator = await iteratorOf(client, arn, "LATEST");
    await rejects(
      client.send(
        new GetRecordsCommand({ ShardIterator: "sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg" }),
      ),
      "ValidationException",
      "Invalid ShardIterator",
    );
    const [prefix, version, opaque] = iterator.split("|") as [string, string, string];
    const tampered = `${prefix}|${version}|${opaque.startsWith("A") ? `B${opaque.slice(1)}` : `A${opaque.slice(1)}`}`;
    await rejects(
      client.send(new GetRecordsCommand({ ShardIterator: tampered })),
      "ValidationException",
      "Invalid ShardIterator",
    );
    const otherArn = `${prefix.replace(name, `${name}x`)}|${version}|${opaque}`;
    await rejects(
      client.send(new GetRecordsCommand({ ShardIterator: otherArn })),
      "ValidationException",
      "Invalid ShardIterator",
    );
    await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    await rejects(
      client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1001 })),
      "ValidationException",
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
    await rejects(
      client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 0 })),
      "ValidationException",
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    client.destroy();
  });

  it("answers errors in DynamoDB's JSON shape", async () => {
    const arn = "arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/2024-01-01T00:00:00.000";
    const response = await rawRequest(stratus.url, {
      service: "dynamodb",
      signingDate: clock.now(),
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDBStreams_20120810.DescribeStream",
      },
      body: JSON.stringify({ StreamArn: arn }),
    });
    assert.equal(response.status, 400);
    assert.deepEqual(JSON.parse(response.text), {
      __type: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
      message: `Requested resource not found: Stream: ${arn} not found`,
    });
    assert.ok(response.headers["x-amz-crc32"]);
  });
});
