/**
 * An S3 bucket as the OnFailure destination of asynchronous invocations: the record is an object under
 * aws/lambda/async/<function-name>/YYYY/MM/DD/, read back with the S3 client. An S3 bucket as OnSuccess
 * is refused, as on AWS (buckets take failure records only).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { InvokeCommand, PutFunctionEventInvokeConfigCommand } from "@aws-sdk/client-lambda";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { useStratus } from "../../../support/stratus.ts";
import { uniqueName } from "../helpers.ts";
import { createNodeFunction, FAILING_JS } from "./support.ts";

process.env.STRATUS_LAMBDA_ASYNC_RETRY_BASE_MS = "100";

describe("Lambda asynchronous invocation to an S3 bucket", () => {
  const stratus = useStratus({ inMemory: true });
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stratus-async-s3-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the failure record as an object under aws/lambda/async/<function-name>/", async () => {
    const lambda = stratus.lambda();
    const s3 = stratus.s3();
    const name = uniqueName("fails");
    await createNodeFunction(lambda, name, FAILING_JS, { OUT: join(dir, `${name}.jsonl`) });
    const bucket = uniqueName("records").toLowerCase();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await assert.rejects(
      lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: name,
          DestinationConfig: { OnSuccess: { Destination: `arn:aws:s3:::${bucket}` } },
        }),
      ),
      { name: "InvalidParameterValueException" },
    );
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: `arn:aws:s3:::${bucket}` } },
      }),
    );
    const accepted = await lambda.send(
      new InvokeCommand({ FunctionName: name, InvocationType: "Event", Payload: Buffer.from('{"order":7}') }),
    );

    const prefix = `aws/lambda/async/${name}/`;
    const deadline = Date.now() + 30_000;
    let key: string | undefined;
    while (key === undefined) {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      key = listed.Contents?.[0]?.Key;
      if (key !== undefined) break;
      assert.ok(Date.now() < deadline, "no failure record within 30 s");
      await sleep(100);
    }
    assert.match(
      key,
      new RegExp(
        `^${prefix}\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}-[0-9a-f-]{36}$`,
      ),
    );
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const record = JSON.parse(await object.Body!.transformToString());
    assert.equal(record.version, "1.0");
    assert.deepEqual(record.requestContext, {
      requestId: accepted.$metadata.requestId,
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}:$LATEST`,
      condition: "RetriesExhausted",
      approximateInvokeCount: 2,
    });
    assert.deepEqual(record.requestPayload, { order: 7 });
    assert.deepEqual(record.responseContext, {
      statusCode: 200,
      executedVersion: "$LATEST",
      functionError: "Unhandled",
    });
    assert.equal(record.responsePayload.errorMessage, "boom");
  });
});
