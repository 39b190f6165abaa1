/** Event notifications to Lambda: configuration, validation, and the event records functions get. */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateFunctionCommand } from "@aws-sdk/client-lambda";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { useStratus } from "../../support/stratus.ts";
import { makeZip, ROLE, uniqueName } from "../lambda/helpers.ts";
import { bucketName, sdkError } from "./helpers.ts";

const RECORDER = `
const fs = require("node:fs");
exports.handler = async (event) => {
  fs.appendFileSync(process.env.OUT, JSON.stringify(event) + "\\n");
  return {};
};
`;

interface S3Event {
  Records: {
    eventVersion: string;
    eventSource: string;
    awsRegion: string;
    eventTime: string;
    eventName: string;
    userIdentity: { principalId: string };
    requestParameters: { sourceIPAddress: string };
    responseElements: Record<string, string>;
    s3: {
      s3SchemaVersion: string;
      configurationId: string;
      bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
      object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer: string };
    };
  }[];
}

describe("S3 event notifications to Lambda", () => {
  const stratus = useStratus({ inMemory: true });
  let dir: string;
  let out: string;
  let functionArn: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stratus-s3-events-"));
    out = join(dir, "events.jsonl");
    const created = await stratus.lambda().send(
      new CreateFunctionCommand({
        FunctionName: uniqueName("s3-recorder"),
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: makeZip({ "index.js": RECORDER }) },
        Environment: { Variables: { OUT: out } },
      }),
    );
    functionArn = created.FunctionArn ?? "";
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The events recorded so far, waiting (bounded) until at least `count` arrived. */
  async function events(count: number): Promise<S3Event[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const text = await readFile(out, "utf8").catch(() => "");
      const lines = text.split("\n").filter(Boolean);
      if (lines.length >= count) return lines.map((line) => JSON.parse(line) as S3Event);
      if (Date.now() > deadline) assert.fail(`expected ${count} events, got ${lines.length}`);
      await sleep(100);
    }
  }

  it("refuses a function that does not exist, overlapping rules and SQS destinations", async () => {
    const s3 = stratus.s3();
    const Bucket = bucketName("nvalid");
    await s3.send(new CreateBucketCommand({ Bucket }));
    const missingArn = "arn:aws:lambda:us-east-1:000000000000:function:no-such-function";
    const missing = await sdkError(
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket,
          NotificationConfiguration: {
            LambdaFunctionConfigurations: [{ LambdaFunctionArn: missingArn, Events: ["s3:ObjectCreated:*"] }],
          },
        }),
      ),
    );
    assert.equal(missing.name, "InvalidArgument");
    assert.equal(missing.message, "Unable to validate the following destination configurations");
    assert.equal(missing.ArgumentName1, `${missingArn}, null`);
    assert.equal(missing.ArgumentValue1, `Not authorized to invoke function [${missingArn}]`);
    const overlapping = await sdkError(
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket,
          NotificationConfiguration: {
            LambdaFunctionConfigurations: [
              { LambdaFunctionArn: functionArn, Events: ["s3:ObjectCreated:*"] },
              {
                LambdaFunctionArn: functionArn,
                Events: ["s3:ObjectCreated:Put"],
                Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "a/" }] } },
              },
            ],
          },
        }),
      ),
    );
    assert.equal(overlapping.name, "InvalidArgument");
    assert.match(overlapping.message, /^Configuration is ambiguously defined/);
    const queue = await sdkError(
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket,
          NotificationConfiguration: {
            QueueConfigurations: [
              { QueueArn: "arn:aws:sqs:us-east-1:000000000000:q", Events: ["s3:ObjectCreated:*"] },
            ],
          },
        }),
      ),
    );
    assert.equal(queue.$metadata.httpStatusCode, 501);
    const empty = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    assert.equal(empty.LambdaFunctionConfigurations, undefined);
  });

  it("delivers ObjectCreated and ObjectRemoved records as S3 writes them", async () => {
    const s3 = stratus.s3();
    const Bucket = bucketName("nevents");
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Id: "created",
              LambdaFunctionArn: functionArn,
              Events: ["s3:ObjectCreated:*"],
              Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "in/" }] } },
            },
            { Id: "removed", LambdaFunctionArn: functionArn, Events: ["s3:ObjectRemoved:*"] },
          ],
        },
      }),
    );
    const config = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    assert.deepEqual(
      config.LambdaFunctionConfigurations?.map((c) => [c.Id, c.LambdaFunctionArn, c.Events]),
      [
        ["created", functionArn, ["s3:ObjectCreated:*"]],
        ["removed", functionArn, ["s3:ObjectRemoved:*"]],
      ],
    );
    assert.deepEqual(config.LambdaFunctionConfigurations?.[0]?.Filter?.Key?.FilterRules, [
      { Name: "Prefix", Value: "in/" },
    ]);

    await s3.send(new PutObjectCommand({ Bucket, Key: "out/ignored.txt", Body: "x" }));
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: "in/my file.txt", Body: "hello" }));
    const [created] = await events(1);
    const record = created?.Records[0];
    assert.ok(record);
    assert.equal(record.eventVersion, "2.1");
    assert.equal(record.eventSource, "aws:s3");
    assert.equal(record.awsRegion, "us-east-1");
    assert.equal(record.eventName, "ObjectCreated:Put");
    assert.match(record.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(record.s3.s3SchemaVersion, "1.0");
    assert.equal(record.s3.configurationId, "created");
    assert.equal(record.s3.bucket.name, Bucket);
    assert.equal(record.s3.bucket.arn, `arn:aws:s3:::${Bucket}`);
    assert.equal(record.s3.object.key, "in/my+file.txt");
    assert.equal(record.s3.object.size, 5);
    assert.equal(`"${record.s3.object.eTag}"`, put.ETag);
    assert.equal(record.s3.object.versionId, undefined);
    assert.ok(record.s3.object.sequencer);
    assert.ok(record.responseElements["x-amz-request-id"]);

    await s3.send(new DeleteObjectCommand({ Bucket, Key: "in/my file.txt" }));
    const removed = (await events(2))[1]?.Records[0];
    assert.equal(removed?.eventName, "ObjectRemoved:Delete");
    assert.equal(removed?.s3.configurationId, "removed");
    assert.equal(removed?.s3.object.size, undefined);

    // Versioned: the delete adds a marker, and the event names its version.
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: "in/other" }));
    const markerEvent = (await events(3))[2]?.Records[0];
    assert.equal(markerEvent?.eventName, "ObjectRemoved:DeleteMarkerCreated");
    assert.equal(markerEvent?.s3.object.versionId, marker.VersionId);
  });

  it("reports copies and completed uploads, by suffix, with version ids in versioned buckets", async () => {
    const s3 = stratus.s3();
    const Bucket = bucketName("nmore");
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Id: "csv",
              LambdaFunctionArn: functionArn,
              Events: ["s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload"],
              Filter: { Key: { FilterRules: [{ Name: "suffix", Value: ".csv" }] } },
            },
          ],
        },
      }),
    );
    const before = (await events(0)).length;
    await s3.send(new PutObjectCommand({ Bucket, Key: "src.csv", Body: "a,b" }));
    const copy = await s3.send(
      new CopyObjectCommand({ Bucket, Key: "copy.csv", CopySource: `${Bucket}/src.csv` }),
    );
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "big.csv" }));
    const part = await s3.send(
      new UploadPartCommand({ Bucket, Key: "big.csv", UploadId: upload.UploadId, PartNumber: 1, Body: "x" }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: "big.csv",
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const mine = (await events(before + 2))
      .slice(before)
      .map((e) => e.Records[0])
      .sort((a, b) => (a?.s3.object.key ?? "").localeCompare(b?.s3.object.key ?? ""));
    assert.deepEqual(
      mine.map((r) => [r?.eventName, r?.s3.object.key, r?.s3.object.versionId]),
      [
        ["ObjectCreated:CompleteMultipartUpload", "big.csv", done.VersionId],
        ["ObjectCreated:Copy", "copy.csv", copy.VersionId],
      ],
    );
  });
});
