/**
 * Function and layer code from S3: a zip uploaded with @aws-sdk/client-s3, named by Code.S3Bucket/S3Key
 * (CreateFunction, UpdateFunctionCode) and Content.S3Bucket/S3Key (PublishLayerVersion), read through
 * Stratus's S3 in-process; a missing bucket or key is Lambda's InvalidParameterValueException quoting
 * S3's error.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  type LambdaClient,
  PublishLayerVersionCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { useStratus } from "../../support/stratus.ts";
import { makeZip, ROLE, rejects, uniqueName } from "./helpers.ts";

describe("Lambda code from S3", () => {
  const stratus = useStratus({ inMemory: true });

  async function upload(
    files: Record<string, string>,
  ): Promise<{ bucket: string; key: string; zip: Uint8Array }> {
    const s3 = stratus.s3();
    const bucket = uniqueName("code").toLowerCase();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const zip = makeZip(files);
    const key = "builds/function.zip";
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: zip }));
    return { bucket, key, zip };
  }

  async function invoke(lambda: LambdaClient, name: string): Promise<unknown> {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: "{}" }));
    const text = Buffer.from(out.Payload ?? new Uint8Array()).toString("utf8");
    assert.equal(out.FunctionError, undefined, text);
    return JSON.parse(text);
  }

  it("creates and updates a function from a zip in S3 and runs it", async () => {
    const lambda = stratus.lambda();
    const first = await upload({ "index.js": 'exports.handler = async () => "from s3";\n' });
    const name = uniqueName("s3fn");
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { S3Bucket: first.bucket, S3Key: first.key },
        Timeout: 30,
      }),
    );
    assert.equal(created.CodeSize, first.zip.length);
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    assert.equal(await invoke(lambda, name), "from s3");
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(fn.Code?.RepositoryType, "S3");

    const second = await upload({ "index.js": 'exports.handler = async () => "updated from s3";\n' });
    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: name, S3Bucket: second.bucket, S3Key: second.key }),
    );
    assert.equal(updated.CodeSize, second.zip.length);
    await waitUntilFunctionUpdatedV2(
      { client: lambda, maxWaitTime: 10, minDelay: 1 },
      { FunctionName: name },
    );
    assert.equal(await invoke(lambda, name), "updated from s3");
  });

  it("publishes a layer from a zip in S3 that a function uses", async () => {
    const lambda = stratus.lambda();
    const content = await upload({
      "nodejs/node_modules/greet/package.json": '{"name":"greet","main":"index.js"}',
      "nodejs/node_modules/greet/index.js": 'module.exports = (who) => "hello " + who;\n',
    });
    const layer = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: uniqueName("s3lyr"),
        Content: { S3Bucket: content.bucket, S3Key: content.key },
      }),
    );
    assert.equal(layer.Content?.CodeSize, content.zip.length);
    const name = uniqueName("s3lfn");
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: {
          ZipFile: makeZip({ "index.js": 'exports.handler = async () => require("greet")("layer");\n' }),
        },
        Layers: [layer.LayerVersionArn ?? ""],
        Timeout: 30,
      }),
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    assert.equal(await invoke(lambda, name), "hello layer");
  });

  it("answers a missing key or bucket as Lambda does", async () => {
    const lambda = stratus.lambda();
    const { bucket } = await upload({ "index.js": "" });
    const create = (S3Bucket: string, S3Key: string) =>
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: uniqueName("s3miss"),
          Runtime: "nodejs20.x",
          Role: ROLE,
          Handler: "index.handler",
          Code: { S3Bucket, S3Key },
        }),
      );
    await rejects(
      create(bucket, "missing.zip"),
      "InvalidParameterValueException",
      "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.",
      400,
    );
    await rejects(
      create("no-such-code-bucket", "f.zip"),
      "InvalidParameterValueException",
      "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist",
      400,
    );
    await rejects(
      lambda.send(
        new PublishLayerVersionCommand({
          LayerName: uniqueName("s3lmiss"),
          Content: { S3Bucket: bucket, S3Key: "nope.zip" },
        }),
      ),
      "InvalidParameterValueException",
      "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.",
      400,
    );
  });
});
