import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { rawRequest } from "../../support/raw-request.ts";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";

describe("S3 object tagging", () => {
  const stratus = useStratus({ inMemory: true });
  const bucket = bucketName("tags");
  before(async () => {
    await stratus.s3().send(new CreateBucketCommand({ Bucket: bucket }));
  });

  const tagsOf = async (key: string) =>
    (await stratus.s3().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet?.map((t) => [
      t.Key,
      t.Value,
    ]);

  it("stores x-amz-tagging on PutObject, counts tags on GET, and replaces and deletes them", async () => {
    const s3 = stratus.s3();
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "tagged",
        Body: "x",
        Tagging: "team=a%20b&env=prod&empty=",
      }),
    );
    assert.deepEqual(await tagsOf("tagged"), [
      ["team", "a b"],
      ["env", "prod"],
      ["empty", ""],
    ]);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "tagged" }));
    assert.equal(get.TagCount, 3);
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: "tagged",
        Tagging: { TagSet: [{ Key: "only", Value: "one" }] },
      }),
    );
    assert.deepEqual(await tagsOf("tagged"), [["only", "one"]]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "tagged" }));
    assert.equal(head.ETag, put.ETag, "retagging keeps the object");
    const deleted = await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: "tagged" }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    assert.deepEqual(await tagsOf("tagged"), []);
    const untagged = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "tagged" }));
    assert.equal(untagged.TagCount, undefined);
  });

  it("refuses more than 10 tags, duplicate keys, aws: keys and a malformed header", async () => {
    const s3 = stratus.s3();
    const eleven = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join("&");
    const tooMany = await sdkError(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: "t", Body: "x", Tagging: eleven })),
    );
    assert.equal(tooMany.name, "BadRequest");
    assert.equal(tooMany.message, "Object tags cannot be greater than 10");
    assert.equal(tooMany.$metadata.httpStatusCode, 400);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "t", Body: "x" }));
    const duplicate = await sdkError(
      s3.send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: "t",
          Tagging: {
            TagSet: [
              { Key: "a", Value: "1" },
              { Key: "a", Value: "2" },
            ],
          },
        }),
      ),
    );
    assert.equal(duplicate.name, "InvalidTag");
    assert.equal(duplicate.message, "Cannot provide multiple Tags with the same key");
    const reserved = await sdkError(
      s3.send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: "t",
          Tagging: { TagSet: [{ Key: "aws:x", Value: "1" }] },
        }),
      ),
    );
    assert.equal(reserved.name, "InvalidTag");
    const header = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${bucket}/t2`,
      body: "x",
      headers: { "x-amz-tagging": "a=1&a=2" },
      service: "s3",
    });
    assert.equal(header.status, 400);
    assert.match(
      header.text,
      /<Code>InvalidArgument<\/Code><Message>The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates\.<\/Message>/,
    );
    const missing = await sdkError(s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "nope" })));
    assert.equal(missing.name, "NoSuchKey");
  });

  it("copies tags with CopyObject (COPY), replaces them with REPLACE, and keeps them through multipart", async () => {
    const s3 = stratus.s3();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "src", Body: "x", Tagging: "a=1" }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy1", CopySource: `${bucket}/src` }));
    assert.deepEqual(await tagsOf("copy1"), [["a", "1"]]);
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "copy2",
        CopySource: `${bucket}/src`,
        TaggingDirective: "REPLACE",
        Tagging: "b=2",
      }),
    );
    assert.deepEqual(await tagsOf("copy2"), [["b", "2"]]);
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: "mp", Tagging: "m=p" }),
    );
    const part = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: "mp", UploadId, PartNumber: 1, Body: "x" }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "mp",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    assert.deepEqual(await tagsOf("mp"), [["m", "p"]]);
  });
});
