/**
 * GetRecords: the records DynamoDB writes for puts, replacements, deletions and TTL expiry, for every
 * StreamViewType, in order, paged, and in the shape AWS sends (compared on the wire with a record
 * captured from AWS by LocalStack).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { CreateTableCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  type StreamViewType,
} from "@aws-sdk/client-dynamodb-streams";
import { systemClock } from "../../../src/aws/clock.ts";
import { rawRequest } from "../../support/raw-request.ts";
import { useStratus } from "../../support/stratus.ts";
import { simpleTable, uniqueName } from "../dynamodb/helpers.ts";
import { ItemWriter, iteratorOf, readAll, s } from "./helpers.ts";

/** AWS's record (via a Lambda event; LocalStack snapshot, recorded against AWS 2025-11-25). */
const fixture = JSON.parse(
  readFileSync(
    new URL("./fixtures/dynamodb-stream-esm-event.localstack-snapshot.json", import.meta.url),
    "utf8",
  ),
) as { event_logs: { Records: Record<string, unknown>[] }[] };

describe("DynamoDB Streams: GetRecords", () => {
  const stratus = useStratus({ inMemory: true });
  const writer = () => new ItemWriter(stratus.server.storage, systemClock);

  async function streamTable(viewType: StreamViewType, name = uniqueName("records")) {
    const { TableDescription } = await stratus
      .dynamodb()
      .send(
        new CreateTableCommand(
          simpleTable(name, { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } }),
        ),
      );
    assert.ok(TableDescription?.LatestStreamArn);
    return { name, arn: TableDescription.LatestStreamArn };
  }

  for (const viewType of ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"] as const) {
    it(`records INSERT, MODIFY and REMOVE with the images of ${viewType}`, async () => {
      const { name, arn } = await streamTable(viewType);
      const items = writer();
      const before = Math.floor(Date.now() / 1000);
      await items.put(name, { pk: { S: "a" }, v: { N: "1" } });
      await items.put(name, { pk: { S: "a" }, v: { N: "1" } }); // no change: no record
      await items.put(name, { pk: { S: "a" }, v: { N: "2" } });
      await items.delete(name, { pk: { S: "a" } });
      await items.delete(name, { pk: { S: "a" } }); // nothing removed: no record

      const client = stratus.dynamodbStreams();
      const { records, next } = await readAll(client, await iteratorOf(client, arn, "TRIM_HORIZON"));
      assert.ok(next, "an open shard always answers NextShardIterator");
      assert.deepEqual(
        records.map((record) => record.eventName),
        ["INSERT", "MODIFY", "REMOVE"],
      );
      const v1 = { pk: s("a"), v: { N: "1" } };
      const v2 = { pk: s("a"), v: { N: "2" } };
      const images: [Record<string, unknown> | undefined, Record<string, unknown> | undefined][] = [
        [undefined, v1],
        [v1, v2],
        [v2, undefined],
      ];
      const withNew = viewType === "NEW_IMAGE" || viewType === "NEW_AND_OLD_IMAGES";
      const withOld = viewType === "OLD_IMAGE" || viewType === "NEW_AND_OLD_IMAGES";
      let previous = 0n;
      records.forEach((record, index) => {
        assert.match(record.eventID ?? "", /^[0-9a-f]{32}$/);
        assert.equal(record.eventVersion, "1.1");
        assert.equal(record.eventSource, "aws:dynamodb");
        assert.equal(record.awsRegion, "us-east-1");
        assert.equal(record.userIdentity, undefined);
        const data = record.dynamodb!;
        assert.deepEqual(data.Keys, { pk: s("a") });
        const [oldImage, newImage] = images[index]!;
        assert.deepEqual(data.NewImage, withNew ? newImage : undefined);
        assert.deepEqual(data.OldImage, withOld ? oldImage : undefined);
        assert.equal(data.StreamViewType, viewType);
        assert.ok(data.ApproximateCreationDateTime instanceof Date);
        assert.ok(data.ApproximateCreationDateTime.getTime() / 1000 >= before);
        assert.match(data.SequenceNumber ?? "", /^[0-9]{21}$/);
        const sequence = BigInt(data.SequenceNumber!);
        assert.ok(sequence > previous, "sequence numbers increase");
        previous = sequence;
        // Keys (pk "a": 2 + 1) plus the images ("v" 1 + its number's bytes).
        const size = (image: Record<string, unknown> | undefined) => (image ? 3 + 1 + 2 : 0);
        assert.equal(data.SizeBytes, 3 + (withNew ? size(newImage) : 0) + (withOld ? size(oldImage) : 0));
      });
      assert.equal(new Set(records.map((record) => record.eventID)).size, 3);
    });
  }

  it("sends a record on the wire exactly as AWS does", async () => {
    const name = uniqueName("wire");
    const { arn } = await stratus
      .dynamodb()
      .send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: "my_partition_key", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "my_partition_key", KeyType: "HASH" }],
          StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
        }),
      )
      .then((out) => ({ arn: out.TableDescription!.LatestStreamArn! }));
    await writer().put(name, {
      my_partition_key: { S: "hello world" },
      binary_key: { B: Buffer.from("foobar").toString("base64") },
    });
    const iterator = await iteratorOf(stratus.dynamodbStreams(), arn, "TRIM_HORIZON");
    const response = await rawRequest(stratus.url, {
      service: "dynamodb",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDBStreams_20120810.GetRecords",
      },
      body: JSON.stringify({ ShardIterator: iterator }),
    });
    assert.equal(response.status, 200);
    const body = JSON.parse(response.text) as {
      Records: Record<string, unknown>[];
      NextShardIterator: string;
    };
    assert.deepEqual(Object.keys(body), ["Records", "NextShardIterator"]);
    const got = body.Records[0] as { eventID: string; dynamodb: Record<string, unknown> };
    const { eventSourceARN: _addedByLambda, ...recorded } = fixture.event_logs[0]!.Records[0]!;
    const recordedData = recorded.dynamodb as Record<string, unknown>;
    const expected = {
      ...recorded,
      eventID: got.eventID,
      awsRegion: "us-east-1",
      dynamodb: {
        ...recordedData,
        ApproximateCreationDateTime: got.dynamodb.ApproximateCreationDateTime,
        SequenceNumber: got.dynamodb.SequenceNumber,
      },
    };
    assert.deepEqual(got, expected);
    assert.deepEqual(Object.keys(got), Object.keys(recorded));
    assert.deepEqual(Object.keys(got.dynamodb), Object.keys(recordedData));
    assert.equal(typeof got.dynamodb.ApproximateCreationDateTime, "number");
    // AWS's own count for this record.
    assert.equal((body.Records[0] as { dynamodb: { SizeBytes: number } }).dynamodb.SizeBytes, 70);
  });

  it("records TTL deletions with DynamoDB's service identity", async () => {
    const { name, arn } = await streamTable("NEW_AND_OLD_IMAGES");
    await stratus.dynamodb().send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: "ttl" },
      }),
    );
    const expired = { pk: { S: "old" }, ttl: { N: String(Math.floor(Date.now() / 1000) - 60) } };
    await writer().put(name, expired);
    const client = stratus.dynamodbStreams();
    const iterator = await iteratorOf(client, arn, "TRIM_HORIZON");
    let records: Awaited<ReturnType<typeof readAll>>["records"] = [];
    for (let attempt = 0; attempt < 100 && records.length < 2; attempt++) {
      records = (await readAll(client, iterator)).records;
      if (records.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(
      records.map((record) => record.eventName),
      ["INSERT", "REMOVE"],
    );
    assert.equal(records[0]!.userIdentity, undefined);
    assert.deepEqual(records[1]!.userIdentity, { PrincipalId: "dynamodb.amazonaws.com", Type: "Service" });
    assert.deepEqual(records[1]!.dynamodb?.OldImage, { pk: s("old"), ttl: { N: expired.ttl.N } });
  });

  it("keeps the order of writes across items and pages with Limit", async () => {
    const { name, arn } = await streamTable("KEYS_ONLY");
    const items = writer();
    const keys: string[] = [];
    for (let i = 0; i < 25; i++) {
      const key = `k${i % 7}`;
      keys.push(key);
      await items.put(name, { pk: { S: key }, n: { N: String(i) } });
    }
    const client = stratus.dynamodbStreams();
    let iterator: string | undefined = await iteratorOf(client, arn, "TRIM_HORIZON");
    const seen: string[] = [];
    const pages: number[] = [];
    while (iterator) {
      const page: GetRecordsCommandOutput = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 10 }),
      );
      pages.push(page.Records?.length ?? 0);
      seen.push(...(page.Records ?? []).map((record) => record.dynamodb!.Keys!.pk!.S!));
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
    assert.deepEqual(pages, [10, 10, 5, 0]);
    assert.deepEqual(seen, keys);
  });

  it("ends a closed shard: no NextShardIterator once its last record is read", async () => {
    const { name, arn } = await streamTable("KEYS_ONLY");
    const items = writer();
    await items.put(name, { pk: { S: "a" } });
    await items.put(name, { pk: { S: "b" } });
    const client = stratus.dynamodbStreams();
    const iterator = await iteratorOf(client, arn, "TRIM_HORIZON");
    await stratus
      .dynamodb()
      .send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }));

    const first = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1 }));
    assert.equal(first.Records?.length, 1);
    assert.ok(first.NextShardIterator, "records remain");
    const last = await client.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    assert.deepEqual(
      last.Records?.map((record) => record.dynamodb?.Keys?.pk?.S),
      ["b"],
    );
    assert.equal(last.NextShardIterator, undefined);
    // A fresh iterator on the closed shard still reads everything.
    const again = await readAll(client, await iteratorOf(client, arn, "TRIM_HORIZON"));
    assert.equal(again.records.length, 2);
    assert.equal(again.next, undefined);
  });
});
