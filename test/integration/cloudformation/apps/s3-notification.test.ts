/**
 * Proof 3: a SAM function on its bucket's notifications. `Events: S3` puts a LambdaConfiguration on
 * the template's bucket (with the permission S3 needs); PutObject of a matching key runs the function,
 * which leaves a marker item and a log line; a key the suffix filter excludes runs nothing. Deleting
 * the stack while the bucket holds objects fails as on AWS (DELETE_FAILED, the bucket is not empty);
 * once emptied, the stack deletes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeleteStackCommand, waitUntilStackDeleteComplete } from "@aws-sdk/client-cloudformation";
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTableCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { GetPolicyCommand } from "@aws-sdk/client-lambda";
import {
  DeleteObjectCommand,
  GetBucketNotificationConfigurationCommand,
  HeadBucketCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { useStratus } from "../../../support/stratus.ts";
import {
  createStack,
  fixture,
  latestOperationEvents,
  pollFor,
  settledStatus,
  stackResources,
  WAIT,
} from "./app-helpers.ts";
import { samExpansion } from "./sam-oracle.ts";

const STACK = "upload-app";
const MATCHING_KEY = "notes/hello world.txt";

describe("CloudFormation apps: SAM function on S3 bucket notifications", () => {
  const stratus = useStratus({ inMemory: true });
  let outputs: Record<string, string> = {};

  it("deploys the bucket with a Lambda notification configuration and S3's permission", async () => {
    const cfn = stratus.cloudformation();
    const template = await fixture("s3-notification.yaml");
    outputs = await createStack(cfn, STACK, template);

    const resources = await stackResources(cfn, STACK);
    assert.deepEqual(
      Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.ResourceType ?? ""])),
      await samExpansion(template),
    );
    assert.match(outputs.BucketName ?? "", /^upload-app-uploads-[a-z0-9]{12,13}$/);

    const notification = await stratus
      .s3()
      .send(new GetBucketNotificationConfigurationCommand({ Bucket: outputs.BucketName }));
    assert.equal(notification.LambdaFunctionConfigurations?.length, 1);
    const [configuration] = notification.LambdaFunctionConfigurations ?? [];
    assert.equal(configuration?.LambdaFunctionArn, outputs.FunctionArn);
    assert.deepEqual(configuration?.Events, ["s3:ObjectCreated:*"]);
    assert.deepEqual(configuration?.Filter?.Key?.FilterRules, [{ Name: "Suffix", Value: ".txt" }]);

    const { Policy } = await stratus
      .lambda()
      .send(new GetPolicyCommand({ FunctionName: outputs.FunctionName }));
    const statements = (JSON.parse(Policy ?? "{}") as { Statement: { Principal: unknown }[] }).Statement;
    assert.deepEqual(
      statements.map((s) => s.Principal),
      [{ Service: "s3.amazonaws.com" }],
    );
  });

  it("runs the function for a matching object, not for one the suffix filter excludes", async () => {
    const s3 = stratus.s3();
    await s3.send(new PutObjectCommand({ Bucket: outputs.BucketName, Key: "photo.jpg", Body: "jpeg" }));
    await s3.send(new PutObjectCommand({ Bucket: outputs.BucketName, Key: MATCHING_KEY, Body: "hello" }));

    const dynamodb = stratus.dynamodb();
    const marker = `${outputs.BucketName}/${MATCHING_KEY}`;
    const markers = await pollFor("the marker written by the notified function", async () => {
      const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: outputs.MarkersTable }));
      return Items.some((item) => item.marker?.S === marker) ? Items : undefined;
    });
    // Deliveries are asynchronous: give the excluded object's (wrong) delivery a moment to show.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { Items: after = [] } = await dynamodb.send(new ScanCommand({ TableName: outputs.MarkersTable }));
    assert.deepEqual(
      after.map((item) => item.marker?.S),
      [marker],
    );
    assert.equal(markers[0]?.eventName?.S, "ObjectCreated:Put");
    assert.equal(markers[0]?.size?.N, "5");

    const logLine = await pollFor("the function's log line in CloudWatch Logs", async () => {
      try {
        const { events = [] } = await stratus.logs().send(
          new FilterLogEventsCommand({
            logGroupName: `/aws/lambda/${outputs.FunctionName}`,
            filterPattern: '"uploaded"',
          }),
        );
        return events[0]?.message;
      } catch {
        return undefined; // the log group appears with the first invocation's output
      }
    });
    assert.match(logLine, new RegExp(`uploaded ${outputs.BucketName}/${MATCHING_KEY}`));
  });

  it("fails to delete while the bucket holds objects, as on AWS, and deletes once it is empty", async () => {
    const cfn = stratus.cloudformation();
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    assert.equal(await settledStatus(cfn, STACK), "DELETE_FAILED");
    const events = await latestOperationEvents(cfn, STACK);
    const bucketFailure = events.find(
      (e) => e.LogicalResourceId === "Uploads" && e.ResourceStatus === "DELETE_FAILED",
    );
    assert.match(bucketFailure?.ResourceStatusReason ?? "", /The bucket you tried to delete is not empty/);
    const stackFailure = events.at(-1);
    assert.equal(stackFailure?.ResourceStatus, "DELETE_FAILED");
    assert.equal(
      stackFailure?.ResourceStatusReason,
      "The following resource(s) failed to delete: [Uploads]. ",
    );
    await stratus.s3().send(new HeadBucketCommand({ Bucket: outputs.BucketName }));

    const s3 = stratus.s3();
    for (const key of ["photo.jpg", MATCHING_KEY]) {
      await s3.send(new DeleteObjectCommand({ Bucket: outputs.BucketName, Key: key }));
    }
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: STACK });
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: outputs.BucketName })), {
      name: "NotFound",
    });
    await assert.rejects(
      stratus.dynamodb().send(new DescribeTableCommand({ TableName: outputs.MarkersTable })),
      { name: "ResourceNotFoundException" },
    );
  });
});
