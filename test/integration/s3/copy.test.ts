import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { rawRequest } from "../../support/raw-request.ts";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";

describe("S3 CopyObject", () => {
  const stratus = useStratus({ inMemory: true });
  const source = bucketName("copy-src");
  const target = bucketName("copy-dst");
  let etag = "";
  before(async () => {
    const s3 = stratus.s3();
    await s3.send(new CreateBucketCommand({ Bucket: source }));
    await s3.send(new CreateBucketCommand({ Bucket: target }));
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: source,
        Key: "dir/a file+é.txt",
        Body: "copy me",
        ContentType: "text/plain",
        Metadata: { origin: "source" },
        ChecksumAlgorithm: "SHA256",
      }),
    );
    etag = put.ETag ?? "";
  });

  it("copies body, content headers and metadata (COPY), across buckets, with a URL-encoded source", async () => {
    const s3 = stratus.s3();
    const copied = await s3.send(
      new CopyObjectCommand({
        Bucket: target,
        Key: "copied.txt",
        CopySource: `${source}/${encodeURIComponent("dir/a file+é.txt")}`,
      }),
    );
    assert.equal(copied.CopyObjectResult?.ETag, etag);
    assert.ok(copied.CopyObjectResult?.LastModified instanceof Date);
    assert.equal(copied.CopyObjectResult?.ChecksumSHA256?.length, 44);
    const get = await s3.send(new GetObjectCommand({ Bucket: target, Key: "copied.txt" }));
    assert.equal(await get.Body?.transformToString(), "copy me");
    assert.equal(get.ContentType, "text/plain");
    assert.deepEqual(get.Metadata, { origin: "source" });
    // The copy is independent of its source.
    await s3.send(new PutObjectCommand({ Bucket: source, Key: "dir/a file+é.txt", Body: "copy me" }));
    const again = await s3.send(new GetObjectCommand({ Bucket: target, Key: "copied.txt" }));
    assert.equal(await again.Body?.transformToString(), "copy me");
  });

  it("replaces headers and metadata with REPLACE", async () => {
    const s3 = stratus.s3();
    await s3.send(
      new CopyObjectCommand({
        Bucket: target,
        Key: "replaced.txt",
        CopySource: `/${source}/${encodeURIComponent("dir/a file+é.txt")}`,
        MetadataDirective: "REPLACE",
        ContentType: "application/json",
        Metadata: { origin: "replaced" },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: target, Key: "replaced.txt" }));
    assert.equal(head.ContentType, "application/json");
    assert.deepEqual(head.Metadata, { origin: "replaced" });
  });

  it("refuses to copy an object onto itself without changes, and allows it with REPLACE", async () => {
    const s3 = stratus.s3();
    await s3.send(new PutObjectCommand({ Bucket: target, Key: "self", Body: "me", Metadata: { v: "1" } }));
    const error = await sdkError(
      s3.send(new CopyObjectCommand({ Bucket: target, Key: "self", CopySource: `${target}/self` })),
    );
    assert.equal(error.name, "InvalidRequest");
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.equal(
      error.message,
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
    await s3.send(
      new CopyObjectCommand({
        Bucket: target,
        Key: "self",
        CopySource: `${target}/self`,
        MetadataDirective: "REPLACE",
        Metadata: { v: "2" },
      }),
    );
    const get = await s3.send(new GetObjectCommand({ Bucket: target, Key: "self" }));
    assert.equal(await get.Body?.transformToString(), "me");
    assert.deepEqual(get.Metadata, { v: "2" });
  });

  it("applies x-amz-copy-source-if-* conditions with 412", async () => {
    const s3 = stratus.s3();
    const src = `${source}/${encodeURIComponent("dir/a file+é.txt")}`;
    await s3.send(
      new CopyObjectCommand({ Bucket: target, Key: "cond", CopySource: src, CopySourceIfMatch: etag }),
    );
    const match = await sdkError(
      s3.send(
        new CopyObjectCommand({ Bucket: target, Key: "cond", CopySource: src, CopySourceIfMatch: '"0000"' }),
      ),
    );
    assert.equal(match.name, "PreconditionFailed");
    assert.equal(match.$metadata.httpStatusCode, 412);
    assert.equal(match.Condition, "x-amz-copy-source-If-Match");
    const noneMatch = await sdkError(
      s3.send(
        new CopyObjectCommand({ Bucket: target, Key: "cond", CopySource: src, CopySourceIfNoneMatch: etag }),
      ),
    );
    assert.equal(noneMatch.name, "PreconditionFailed");
    const future = new Date(Date.now() + 3_600_000);
    const modified = await sdkError(
      s3.send(
        new CopyObjectCommand({
          Bucket: target,
          Key: "cond",
          CopySource: src,
          CopySourceIfModifiedSince: future,
        }),
      ),
    );
    assert.equal(modified.name, "PreconditionFailed");
    const past = new Date(Date.now() - 3_600_000);
    const unmodified = await sdkError(
      s3.send(
        new CopyObjectCommand({
          Bucket: target,
          Key: "cond",
          CopySource: src,
          CopySourceIfUnmodifiedSince: past,
        }),
      ),
    );
    assert.equal(unmodified.name, "PreconditionFailed");
  });

  it("answers NoSuchKey and NoSuchBucket for a missing source, InvalidArgument for a malformed one", async () => {
    const s3 = stratus.s3();
    const key = await sdkError(
      s3.send(new CopyObjectCommand({ Bucket: target, Key: "x", CopySource: `${source}/nope` })),
    );
    assert.equal(key.name, "NoSuchKey");
    const bucket = await sdkError(
      s3.send(new CopyObjectCommand({ Bucket: target, Key: "x", CopySource: "no-such-bucket-xyz/k" })),
    );
    assert.equal(bucket.name, "NoSuchBucket");
    const malformed = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${target}/x`,
      headers: { "x-amz-copy-source": "just-a-bucket" },
      service: "s3",
    });
    assert.equal(malformed.status, 400);
    assert.match(
      malformed.text,
      /<Code>InvalidArgument<\/Code><Message>Copy Source must mention the source bucket and key: sourcebucket\/sourcekey<\/Message><ArgumentName>x-amz-copy-source<\/ArgumentName>/,
    );
    const directive = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${target}/x`,
      headers: { "x-amz-copy-source": `${source}/dir/a`, "x-amz-metadata-directive": "MERGE" },
      service: "s3",
    });
    assert.equal(directive.status, 400);
    assert.match(
      directive.text,
      /<Code>InvalidArgument<\/Code><Message>Unknown metadata directive\.<\/Message>/,
    );
  });

  it("answers CopyObjectResult XML in S3's namespace", async () => {
    const response = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${target}/xml-copy`,
      headers: { "x-amz-copy-source": `/${source}/${encodeURIComponent("dir/a file+é.txt")}` },
      service: "s3",
    });
    assert.equal(response.status, 200, response.text);
    assert.match(
      response.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<CopyObjectResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><LastModified>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z<\/LastModified><ETag>&quot;[0-9a-f]{32}&quot;<\/ETag>/,
    );
  });
});
