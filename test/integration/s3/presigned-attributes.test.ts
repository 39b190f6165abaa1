import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { rawRequest } from "../../support/raw-request.ts";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";

describe("S3 presigned URLs, anonymous requests and GetObjectAttributes", () => {
  const stratus = useStratus({ inMemory: true });
  const bucket = bucketName("presign");
  before(async () => {
    await stratus.s3().send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it("uploads and downloads through presigned PUT and GET URLs", async () => {
    const s3 = stratus.s3();
    const putUrl = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: bucket, Key: "via/presigned.txt" }),
      { expiresIn: 60 },
    );
    const put = await fetch(putUrl, { method: "PUT", body: "presigned body" });
    assert.equal(put.status, 200, await put.clone().text());
    assert.match(put.headers.get("etag") ?? "", /^"[0-9a-f]{32}"$/);
    const getUrl = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: bucket, Key: "via/presigned.txt" }),
      { expiresIn: 60 },
    );
    const get = await fetch(getUrl);
    assert.equal(get.status, 200);
    assert.equal(await get.text(), "presigned body");
  });

  it("refuses an anonymous read with AccessDenied (no public buckets yet)", async () => {
    await stratus.s3().send(new PutObjectCommand({ Bucket: bucket, Key: "private.txt", Body: "secret" }));
    const response = await rawRequest(stratus.url, { method: "GET", path: `/${bucket}/private.txt` });
    assert.equal(response.status, 403);
    assert.match(response.text, /<Code>AccessDenied<\/Code>/);
  });

  it("answers GetObjectAttributes with the attributes asked for, ETag unquoted", async () => {
    const s3 = stratus.s3();
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "attrs",
        Body: "attribute body",
        ChecksumAlgorithm: "SHA256",
      }),
    );
    const attributes = await s3.send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: "attrs",
        ObjectAttributes: ["ETag", "Checksum", "ObjectSize", "StorageClass"],
      }),
    );
    assert.equal(attributes.ETag, put.ETag?.replace(/"/g, ""));
    assert.equal(attributes.ObjectSize, Buffer.byteLength("attribute body"));
    assert.equal(attributes.StorageClass, "STANDARD");
    assert.equal(attributes.Checksum?.ChecksumSHA256, put.ChecksumSHA256);
    assert.equal(attributes.Checksum?.ChecksumType, "FULL_OBJECT");
    assert.ok(attributes.LastModified instanceof Date);
    assert.equal(attributes.ObjectParts, undefined, "a single-part object has no parts");
    const onlySize = await s3.send(
      new GetObjectAttributesCommand({ Bucket: bucket, Key: "attrs", ObjectAttributes: ["ObjectSize"] }),
    );
    assert.equal(onlySize.ETag, undefined);
    const missing = await sdkError(
      s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: "nope", ObjectAttributes: ["ETag"] })),
    );
    assert.equal(missing.name, "NoSuchKey");
    const invalid = await rawRequest(stratus.url, {
      method: "GET",
      path: `/${bucket}/attrs`,
      query: { attributes: "" },
      headers: { "x-amz-object-attributes": "ETag,Colour" },
      service: "s3",
    });
    assert.equal(invalid.status, 400);
    assert.match(
      invalid.text,
      /<Code>InvalidArgument<\/Code><Message>Invalid attribute name specified\.<\/Message>/,
    );
  });

  it("counts the parts of a multipart object in ObjectParts", async () => {
    const s3 = stratus.s3();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "mp" }));
    const part = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: "mp", UploadId, PartNumber: 1, Body: "only part" }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "mp",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const attributes = await s3.send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: "mp",
        ObjectAttributes: ["ObjectParts", "ETag"],
      }),
    );
    assert.equal(attributes.ObjectParts?.TotalPartsCount, 1);
    assert.match(attributes.ETag ?? "", /^[0-9a-f]{32}-1$/);
  });
});
