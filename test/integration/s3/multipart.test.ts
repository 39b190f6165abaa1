import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, it } from "node:test";
import { crc32 } from "node:zlib";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { rawRequest } from "../../support/raw-request.ts";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";

const MiB = 1024 * 1024;
const md5 = (data: Buffer) => createHash("md5").update(data).digest();

describe("S3 multipart uploads", () => {
  const stratus = useStratus({ inMemory: true });
  const bucket = bucketName("multipart");
  before(async () => {
    await stratus.s3().send(new CreateBucketCommand({ Bucket: bucket }));
  });

  async function start(
    key: string,
    extra: Partial<ConstructorParameters<typeof CreateMultipartUploadCommand>[0]> = {},
  ) {
    const created = await stratus
      .s3()
      .send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...extra }));
    assert.match(created.UploadId ?? "", /^[A-Za-z0-9_-]{20,}$/);
    return created.UploadId ?? "";
  }

  async function upload(key: string, uploadId: string, partNumber: number, body: Buffer) {
    const part = await stratus.s3().send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: body,
      }),
    );
    return { PartNumber: partNumber, ETag: part.ETag ?? "", ChecksumCRC32: part.ChecksumCRC32 };
  }

  it("assembles parts into one object with S3's multipart ETag and keeps content headers and metadata", async () => {
    const s3 = stratus.s3();
    const key = "big/assembled.bin";
    const uploadId = await start(key, { ContentType: "application/x-test", Metadata: { kind: "multipart" } });
    const parts = [Buffer.alloc(5 * MiB, 1), Buffer.alloc(5 * MiB, 2), Buffer.from("tail")];
    const uploaded = [];
    for (const [i, body] of parts.entries()) uploaded.push(await upload(key, uploadId, i + 1, body));
    assert.equal(uploaded[0]?.ETag, `"${md5(parts[0] as Buffer).toString("hex")}"`);
    const completed = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: uploaded.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) },
      }),
    );
    const expectedEtag = `"${createHash("md5")
      .update(Buffer.concat(parts.map(md5)))
      .digest("hex")}-3"`;
    assert.equal(completed.ETag, expectedEtag);
    assert.equal(completed.Bucket, bucket);
    assert.equal(completed.Key, key);
    const whole = Buffer.concat(parts);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = Buffer.from((await get.Body?.transformToByteArray()) ?? []);
    assert.equal(bytes.length, whole.length);
    assert.ok(bytes.equals(whole));
    assert.equal(get.ETag, expectedEtag);
    assert.equal(get.ContentType, "application/x-test");
    assert.deepEqual(get.Metadata, { kind: "multipart" });
    const range = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${5 * MiB - 2}-${5 * MiB + 1}` }),
    );
    assert.deepEqual([...((await range.Body?.transformToByteArray()) ?? [])], [1, 1, 2, 2]);
    const gone = await sdkError(
      s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId })),
    );
    assert.equal(gone.name, "NoSuchUpload", "a completed upload is gone");
  });

  it("combines CRC32 part checksums into a COMPOSITE checksum when the upload names CRC32", async () => {
    const s3 = stratus.s3();
    const key = "composite.bin";
    const uploadId = await start(key, { ChecksumAlgorithm: "CRC32" });
    const parts = [Buffer.alloc(5 * MiB, 7), Buffer.from("end")];
    const uploaded = [];
    for (const [i, body] of parts.entries()) uploaded.push(await upload(key, uploadId, i + 1, body));
    const crcs = parts.map((p) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc32(p));
      return b;
    });
    assert.equal(uploaded[0]?.ChecksumCRC32, crcs[0]?.toString("base64"));
    const completed = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: uploaded },
      }),
    );
    const composite = Buffer.alloc(4);
    composite.writeUInt32BE(crc32(Buffer.concat(crcs)));
    assert.equal(completed.ChecksumCRC32, `${composite.toString("base64")}-2`);
    assert.equal(completed.ChecksumType, "COMPOSITE");
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
    assert.equal(head.ChecksumCRC32, `${composite.toString("base64")}-2`);
    assert.equal(head.ChecksumType, "COMPOSITE");
    // The SDK skips validating a composite checksum on GET, as it must: the body still reads back.
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
    assert.equal((await get.Body?.transformToByteArray())?.length, 5 * MiB + 3);
  });

  it("refuses a part under 5 MiB that is not the last with EntityTooSmall", async () => {
    const key = "small-parts";
    const uploadId = await start(key);
    const first = await upload(key, uploadId, 1, Buffer.from("too small"));
    const second = await upload(key, uploadId, 2, Buffer.from("last"));
    const error = await sdkError(
      stratus.s3().send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: [first, second] },
        }),
      ),
    );
    assert.equal(error.name, "EntityTooSmall");
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.equal(error.message, "Your proposed upload is smaller than the minimum allowed size");
    assert.equal(error.ProposedSize, "9");
    assert.equal(error.MinSizeAllowed, "5242880");
    assert.equal(error.PartNumber, "1");
    // A single small part is fine: it is the last.
    await stratus.s3().send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: [second] },
      }),
    );
    const get = await stratus.s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(await get.Body?.transformToString(), "last");
  });

  it("answers InvalidPart for an unknown part or ETag, InvalidPartOrder for descending parts, MalformedXML for none", async () => {
    const key = "bad-complete";
    const uploadId = await start(key);
    const one = await upload(key, uploadId, 1, Buffer.alloc(5 * MiB, 3));
    const two = await upload(key, uploadId, 2, Buffer.from("x"));
    const complete = (parts: { PartNumber: number; ETag: string }[]) =>
      sdkError(
        stratus.s3().send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
          }),
        ),
      );
    const unknown = await complete([one, { PartNumber: 3, ETag: two.ETag }]);
    assert.equal(unknown.name, "InvalidPart");
    assert.equal(
      unknown.message,
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    );
    const wrongEtag = await complete([one, { PartNumber: 2, ETag: '"00000000000000000000000000000000"' }]);
    assert.equal(wrongEtag.name, "InvalidPart");
    const order = await complete([two, one]);
    assert.equal(order.name, "InvalidPartOrder");
    assert.equal(
      order.message,
      "The list of parts was not in ascending order. The parts list must be specified in order by part number.",
    );
    const empty = await rawRequest(stratus.url, {
      method: "POST",
      path: `/${bucket}/${key}`,
      query: { uploadId },
      body: "<CompleteMultipartUpload></CompleteMultipartUpload>",
      service: "s3",
    });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /<Code>MalformedXML<\/Code>/);
  });

  it("lists parts (paged) and uploads, replaces a re-uploaded part, and aborts", async () => {
    const s3 = stratus.s3();
    const key = "listed/upload";
    const uploadId = await start(key);
    await upload(key, uploadId, 1, Buffer.from("one"));
    await upload(key, uploadId, 2, Buffer.from("two"));
    await upload(key, uploadId, 3, Buffer.from("three"));
    const again = await upload(key, uploadId, 2, Buffer.from("TWO!"));
    const page = await s3.send(
      new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MaxParts: 2 }),
    );
    assert.deepEqual(
      page.Parts?.map((p) => [p.PartNumber, p.Size]),
      [
        [1, 3],
        [2, 4],
      ],
    );
    assert.equal(page.Parts?.[1]?.ETag, again.ETag);
    assert.equal(page.IsTruncated, true);
    assert.equal(page.NextPartNumberMarker, "2");
    const rest = await s3.send(
      new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker: "2" }),
    );
    assert.deepEqual(
      rest.Parts?.map((p) => p.PartNumber),
      [3],
    );
    assert.equal(rest.IsTruncated, false);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "listed/" }));
    assert.deepEqual(
      uploads.Uploads?.map((u) => [u.Key, u.UploadId]),
      [[key, uploadId]],
    );
    assert.ok(uploads.Uploads?.[0]?.Initiated instanceof Date);
    const rolled = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "", Delimiter: "/" }),
    );
    assert.ok(rolled.CommonPrefixes?.some((p) => p.Prefix === "listed/"));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    const aborted = await sdkError(
      s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 4, Body: "x" }),
      ),
    );
    assert.equal(aborted.name, "NoSuchUpload");
    assert.equal(aborted.$metadata.httpStatusCode, 404);
    assert.equal(
      aborted.message,
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    );
    const after = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "listed/" }));
    assert.equal(after.Uploads, undefined);
  });

  it("refuses part numbers outside 1..10000", async () => {
    const key = "part-numbers";
    const uploadId = await start(key);
    for (const partNumber of ["0", "10001"]) {
      const response = await rawRequest(stratus.url, {
        method: "PUT",
        path: `/${bucket}/${key}`,
        query: { partNumber, uploadId },
        body: "x",
        service: "s3",
      });
      assert.equal(response.status, 400, partNumber);
      assert.match(
        response.text,
        /<Code>InvalidArgument<\/Code><Message>Part number must be an integer between 1 and 10000, inclusive<\/Message>/,
      );
    }
  });
});

describe("S3 multipart uploads and DeleteBucket", () => {
  const stratus = useStratus({ inMemory: true });

  it("aborts a bucket's unfinished uploads when the bucket is deleted", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("mp-delete");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "pending" }));
    await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: "pending", UploadId, PartNumber: 1, Body: "part" }),
    );
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.equal(uploads.Uploads, undefined, "the re-created bucket starts without the old uploads");
  });
});

describe("S3 UploadPartCopy", () => {
  const stratus = useStratus({ inMemory: true });

  it("builds parts from a stored object, whole or by x-amz-copy-source-range", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("part-copy");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const source = Buffer.concat([Buffer.alloc(5 * MiB, 0x31), Buffer.from("0123456789")]);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "source.bin", Body: source }));
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: "copied.bin" }),
    );
    const whole = await s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: "copied.bin",
        UploadId,
        PartNumber: 1,
        CopySource: `${bucket}/source.bin`,
      }),
    );
    assert.equal(whole.CopyPartResult?.ETag, `"${md5(source).toString("hex")}"`);
    assert.ok(whole.CopyPartResult?.LastModified instanceof Date);
    const ranged = await s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: "copied.bin",
        UploadId,
        PartNumber: 2,
        CopySource: `${bucket}/source.bin`,
        CopySourceRange: `bytes=${5 * MiB + 2}-${5 * MiB + 4}`,
      }),
    );
    assert.equal(ranged.CopyPartResult?.ETag, `"${md5(Buffer.from("234")).toString("hex")}"`);
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "copied.bin",
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: whole.CopyPartResult?.ETag },
            { PartNumber: 2, ETag: ranged.CopyPartResult?.ETag },
          ],
        },
      }),
    );
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "copied.bin" }));
    const bytes = Buffer.from((await get.Body?.transformToByteArray()) ?? []);
    assert.ok(bytes.equals(Buffer.concat([source, Buffer.from("234")])));

    const { UploadId: second } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: "other.bin" }),
    );
    const outside = await sdkError(
      s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: "other.bin",
          UploadId: second,
          PartNumber: 1,
          CopySource: `${bucket}/source.bin`,
          CopySourceRange: `bytes=0-${source.length}`,
        }),
      ),
    );
    assert.equal(outside.name, "InvalidArgument");
    assert.equal(outside.message, `Range specified is not valid for source object of size: ${source.length}`);
    const malformed = await sdkError(
      s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: "other.bin",
          UploadId: second,
          PartNumber: 1,
          CopySource: `${bucket}/source.bin`,
          CopySourceRange: "bytes=5-",
        }),
      ),
    );
    assert.equal(malformed.name, "InvalidArgument");
    assert.match(
      malformed.message,
      /^The x-amz-copy-source-range value must be of the form bytes=first-last/,
    );
    const condition = await sdkError(
      s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: "other.bin",
          UploadId: second,
          PartNumber: 1,
          CopySource: `${bucket}/source.bin`,
          CopySourceIfMatch: '"0000"',
        }),
      ),
    );
    assert.equal(condition.name, "PreconditionFailed");
    const missing = await sdkError(
      s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: "other.bin",
          UploadId: second,
          PartNumber: 1,
          CopySource: `${bucket}/nope`,
        }),
      ),
    );
    assert.equal(missing.name, "NoSuchKey");
  });
});
