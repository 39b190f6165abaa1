/** Streams survive a restart: records, stream metadata, and iterators (which hold no server state). */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient, GetRecordsCommand } from "@aws-sdk/client-dynamodb-streams";
import { systemClock } from "../../../src/aws/clock.ts";
import { startStratus } from "../../../src/server.ts";
import { TEST_CREDENTIALS } from "../../support/stratus.ts";
import { simpleTable } from "../dynamodb/helpers.ts";
import { ItemWriter, iteratorOf } from "./helpers.ts";

describe("DynamoDB Streams across a restart", () => {
  it("reads on with an iterator handed out before the restart", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stratus-streams-"));
    const config = (url: string) => ({
      endpoint: url,
      region: "us-east-1",
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      let server = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const dynamodb = new DynamoDBClient(config(server.url));
      const created = await dynamodb.send(
        new CreateTableCommand(
          simpleTable("restart", {
            StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" },
          }),
        ),
      );
      dynamodb.destroy();
      const arn = created.TableDescription!.LatestStreamArn!;
      await new ItemWriter(server.storage, systemClock).put("restart", { pk: { S: "before" } });
      let streams = new DynamoDBStreamsClient(config(server.url));
      const first = await streams.send(
        new GetRecordsCommand({ ShardIterator: await iteratorOf(streams, arn, "TRIM_HORIZON") }),
      );
      assert.deepEqual(
        first.Records?.map((record) => record.dynamodb?.Keys?.pk?.S),
        ["before"],
      );
      streams.destroy();
      await server.close();

      server = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      await new ItemWriter(server.storage, systemClock).put("restart", { pk: { S: "after" } });
      streams = new DynamoDBStreamsClient(config(server.url));
      const next = await streams.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
      assert.deepEqual(
        next.Records?.map((record) => record.dynamodb?.Keys?.pk?.S),
        ["after"],
      );
      assert.ok(
        BigInt(next.Records![0]!.dynamodb!.SequenceNumber!) >
          BigInt(first.Records![0]!.dynamodb!.SequenceNumber!),
      );
      streams.destroy();
      await server.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
