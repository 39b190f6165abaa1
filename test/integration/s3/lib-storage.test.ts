/**
 * @aws-sdk/lib-storage's Upload, the way applications upload large or streamed bodies: a stream of
 * unknown length split into parts (with the SDK's default CRC32 checksums), uploaded four at a time,
 * then downloaded and compared byte for byte.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { useStratus } from "../../support/stratus.ts";

const MiB = 1024 * 1024;

describe("S3 with @aws-sdk/lib-storage", () => {
  const stratus = useStratus({ inMemory: true });

  it("uploads a 26 MiB stream of unknown length in parts and reads back the same bytes", async () => {
    const s3 = stratus.s3();
    await s3.send(new CreateBucketCommand({ Bucket: "lib-storage" }));
    const chunks = Array.from({ length: 13 }, () => randomBytes(2 * MiB));
    const expected = createHash("sha256");
    for (const chunk of chunks) expected.update(chunk);

    const upload = new Upload({
      client: s3,
      params: { Bucket: "lib-storage", Key: "streamed.bin", Body: Readable.from(chunks) },
      partSize: 5 * MiB,
      queueSize: 4,
    });
    const parts: number[] = [];
    upload.on("httpUploadProgress", (progress) => {
      if (progress.part !== undefined) parts.push(progress.part);
    });
    await upload.done();
    assert.equal(new Set(parts).size, 6, "26 MiB in 5 MiB parts is 6 parts");

    const head = await s3.send(new HeadObjectCommand({ Bucket: "lib-storage", Key: "streamed.bin" }));
    assert.equal(head.ContentLength, 26 * MiB);
    assert.match(head.ETag ?? "", /^"[0-9a-f]{32}-6"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: "lib-storage", Key: "streamed.bin" }));
    const actual = createHash("sha256");
    for await (const chunk of got.Body as Readable) actual.update(chunk as Buffer);
    assert.equal(actual.digest("hex"), expected.digest("hex"));
  });

  it("uploads a small body in one PutObject", async () => {
    const s3 = stratus.s3();
    await s3.send(new CreateBucketCommand({ Bucket: "lib-storage-small" }));
    await new Upload({
      client: s3,
      params: { Bucket: "lib-storage-small", Key: "small.txt", Body: "hello", ContentType: "text/plain" },
    }).done();
    const got = await s3.send(new GetObjectCommand({ Bucket: "lib-storage-small", Key: "small.txt" }));
    assert.equal(got.ContentType, "text/plain");
    assert.equal(await got.Body?.transformToString(), "hello");
    assert.match(got.ETag ?? "", /^"[0-9a-f]{32}"$/);
  });
});
