/**
 * An S3 bucket as a DynamoDB stream mapping's OnFailure destination: a batch discarded after its
 * retries is written as Lambda's failure record under aws/lambda/<mapping UUID>/<shard id>/, read back
 * with the S3 client. SQS stays refused (Stratus does not run it).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DescribeStreamCommand } from "@aws-sdk/client-dynamodb-streams";
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand } from "@aws-sdk/client-lambda";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { useStratus } from "../../../support/stratus.ts";
import { uniqueName } from "../helpers.ts";
import { createRecorder, createStreamTable, waitFor } from "./esm-helpers.ts";

describe("Lambda event source mappings: S3 OnFailure destination", () => {
  const stratus = useStratus({ inMemory: true });
  let scratch = "";
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "stratus-esm-s3-"));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("writes the discarded batch's failure record to the bucket", async () => {
    const lambda = stratus.lambda();
    const dynamodb = stratus.dynamodb();
    const s3 = stratus.s3();
    const bucket = uniqueName("esm-records").toLowerCase();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { tableName, streamArn } = await createStreamTable(dynamodb);
    const fn = await createRecorder(lambda, scratch);
    await dynamodb.send(
      new PutItemCommand({ TableName: tableName, Item: { id: { S: "bad" }, fail: { BOOL: true } } }),
    );
    const destination = `arn:aws:s3:::${bucket}`;
    const { UUID } = await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn.name,
        StartingPosition: "TRIM_HORIZON",
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: destination } },
      }),
    );
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID }));
    assert.deepEqual(got.DestinationConfig, { OnFailure: { Destination: destination } });

    const key = await waitFor("the failure record", async () => {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: `aws/lambda/${UUID}/` }),
      );
      return listed.Contents?.[0]?.Key;
    });
    const stream = await stratus.dynamodbStreams().send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shard = stream.StreamDescription?.Shards?.[0];
    assert.ok(shard?.ShardId);
    assert.match(
      key,
      new RegExp(
        `^aws/lambda/${UUID}/${shard.ShardId}/\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}-[0-9a-f-]{36}$`,
      ),
    );
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const record = JSON.parse(await object.Body!.transformToString());
    assert.equal(record.version, "1.0");
    assert.match(record.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal(
      record.requestContext.functionArn,
      `arn:aws:lambda:us-east-1:000000000000:function:${fn.name}`,
    );
    assert.equal(record.requestContext.condition, "RetryAttemptsExhausted");
    assert.equal(record.requestContext.approximateInvokeCount, 2);
    assert.ok(record.requestContext.requestId);
    assert.deepEqual(record.responseContext, {
      statusCode: 200,
      executedVersion: "$LATEST",
      functionError: "Unhandled",
    });
    const info = record.DDBStreamBatchInfo;
    assert.equal(info.shardId, shard.ShardId);
    assert.equal(info.streamArn, streamArn);
    assert.equal(info.batchSize, 1);
    assert.equal(info.startSequenceNumber, info.endSequenceNumber);
    assert.match(info.approximateArrivalOfFirstRecord, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(info.approximateArrivalOfLastRecord, info.approximateArrivalOfFirstRecord);
    const payload = JSON.parse(record.payload);
    assert.equal(payload.Records.length, 1);
    assert.equal(payload.Records[0].dynamodb.Keys.id.S, "bad");
    assert.equal(payload.Records[0].dynamodb.SequenceNumber, info.startSequenceNumber);
  });

  it("still refuses SQS destinations", async () => {
    const lambda = stratus.lambda();
    const { streamArn } = await createStreamTable(stratus.dynamodb());
    const fn = await createRecorder(lambda, scratch);
    await assert.rejects(
      lambda.send(
        new CreateEventSourceMappingCommand({
          EventSourceArn: streamArn,
          FunctionName: fn.name,
          StartingPosition: "TRIM_HORIZON",
          DestinationConfig: { OnFailure: { Destination: "arn:aws:sqs:us-east-1:000000000000:dlq" } },
        }),
      ),
      { name: "InvalidParameterValueException" },
    );
  });
});
