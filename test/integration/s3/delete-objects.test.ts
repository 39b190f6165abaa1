import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { rawRequest } from "../../support/raw-request.ts";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";

describe("S3 DeleteObjects", () => {
  const stratus = useStratus({ inMemory: true });
  const bucket = bucketName("multi-delete");
  before(async () => {
    await stratus.s3().send(new CreateBucketCommand({ Bucket: bucket }));
  });

  async function putKeys(keys: string[]) {
    for (const key of keys)
      await stratus.s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  }

  it("deletes the listed keys, reporting each (missing keys count as deleted)", async () => {
    await putKeys(["a", "b", "c"]);
    const result = await stratus.s3().send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: "a" }, { Key: "c" }, { Key: "never-existed" }] },
      }),
    );
    assert.deepEqual(
      result.Deleted?.map((d) => d.Key),
      ["a", "c", "never-existed"],
    );
    assert.equal(result.Errors, undefined);
    const left = await stratus.s3().send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(
      left.Contents?.map((o) => o.Key),
      ["b"],
    );
  });

  it("reports nothing but errors when Quiet, and per-key errors for keys it cannot delete", async () => {
    await putKeys(["q1", "q2"]);
    const result = await stratus.s3().send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: {
          Quiet: true,
          Objects: [
            { Key: "q1" },
            { Key: "q2", VersionId: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY" },
            { Key: "q2" },
          ],
        },
      }),
    );
    assert.equal(result.Deleted, undefined);
    assert.equal(result.Errors?.length, 1);
    assert.equal(result.Errors?.[0]?.Key, "q2");
    assert.equal(result.Errors?.[0]?.Code, "InvalidArgument");
    assert.equal(result.Errors?.[0]?.Message, "Invalid version id specified");
  });

  it("answers MalformedXML for no keys, more than 1,000, or a broken document", async () => {
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));
    const many = await sdkError(
      stratus.s3().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: tooMany } })),
    );
    assert.equal(many.name, "MalformedXML");
    assert.equal(many.$metadata.httpStatusCode, 400);
    for (const body of [
      "<Delete></Delete>",
      "<Delete><Object><Key>a</Key></Object>",
      "not xml",
      "<Other><Object><Key>a</Key></Object></Other>",
    ]) {
      const response = await rawRequest(stratus.url, {
        method: "POST",
        path: `/${bucket}`,
        query: { delete: "" },
        body,
        service: "s3",
      });
      assert.equal(response.status, 400, body);
      assert.match(response.text, /<Code>MalformedXML<\/Code>/, body);
    }
  });

  it("reads keys with entities and answers them escaped", async () => {
    await putKeys(["a&b <c>"]);
    const response = await rawRequest(stratus.url, {
      method: "POST",
      path: `/${bucket}`,
      query: { delete: "" },
      body: '<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a&amp;b &lt;c&gt;</Key></Object></Delete>',
      service: "s3",
    });
    assert.equal(response.status, 200, response.text);
    assert.match(
      response.text,
      /<DeleteResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Deleted><Key>a&amp;b &lt;c&gt;<\/Key><\/Deleted><\/DeleteResult>/,
    );
  });

  it("answers NoSuchBucket for a missing bucket", async () => {
    const error = await sdkError(
      stratus
        .s3()
        .send(new DeleteObjectsCommand({ Bucket: "no-such-bucket-dx", Delete: { Objects: [{ Key: "a" }] } })),
    );
    assert.equal(error.name, "NoSuchBucket");
  });
});
