/**
 * The inline/file boundary (src/services/s3/inline-bodies.ts): bodies up to INLINE_BODY_MAX bytes are
 * kept in the KV store, longer ones in files. Objects just below, at and just above the limit must
 * behave alike through every path that reads or writes bodies.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { startStratus } from "../../../src/server.ts";
import { INLINE_BODY_MAX } from "../../../src/services/s3/inline-bodies.ts";
import { clientConfigFor, useStratus } from "../../support/stratus.ts";
import { bucketName } from "./helpers.ts";

const SIZES = [0, 1, INLINE_BODY_MAX - 1, INLINE_BODY_MAX, INLINE_BODY_MAX + 1, 3 * INLINE_BODY_MAX + 7];

/** Deterministic bytes that differ per size and position (a misplaced range shows). */
function bodyOf(size: number, salt = ""): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash("sha256").update(`${salt}${size}`).digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at);
    block = createHash("sha256").update(block).digest();
  }
  return out;
}

const md5 = (bytes: Buffer) => `"${createHash("md5").update(bytes).digest("hex")}"`;

async function bytesOf(s3: S3Client, input: ConstructorParameters<typeof GetObjectCommand>[0]) {
  const answer = await s3.send(new GetObjectCommand(input));
  return { answer, bytes: Buffer.from((await answer.Body?.transformToByteArray()) ?? []) };
}

/** How many body files the data dir holds (inline bodies have none). */
async function bodyFiles(dataDir: string): Promise<number> {
  const objects = join(dataDir, "blobs", "s3", "objects");
  let count = 0;
  for (const shard of await readdir(objects).catch(() => [] as string[])) {
    count += (await readdir(join(objects, shard))).length;
  }
  return count;
}

describe("S3 inline bodies: the boundary between KV-stored and file bodies", () => {
  const stratus = useStratus({ inMemory: true });

  it("GET, HEAD, ranges, checksums and conditionals on both sides of the limit", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("inline");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const size of SIZES) {
      const body = bodyOf(size);
      const key = `object-${size}`;
      const put = await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ChecksumAlgorithm: "SHA256" }),
      );
      assert.equal(put.ETag, md5(body), `ETag of ${size}`);
      const { answer, bytes } = await bytesOf(s3, { Bucket: bucket, Key: key, ChecksumMode: "ENABLED" });
      assert.ok(bytes.equals(body), `body of ${size}`);
      assert.equal(answer.ContentLength, size);
      assert.equal(answer.ChecksumSHA256, createHash("sha256").update(body).digest("base64"));
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      assert.equal(head.ContentLength, size);
      assert.equal(head.ETag, put.ETag);
      if (size < 2) continue;
      const first = Math.floor(size / 3);
      const last = size - 2;
      const range = await bytesOf(s3, { Bucket: bucket, Key: key, Range: `bytes=${first}-${last}` });
      assert.equal(range.answer.ContentRange, `bytes ${first}-${last}/${size}`);
      assert.ok(range.bytes.equals(body.subarray(first, last + 1)), `range of ${size}`);
      const suffix = await bytesOf(s3, { Bucket: bucket, Key: key, Range: "bytes=-5" });
      assert.ok(suffix.bytes.equals(body.subarray(size - 5)), `suffix of ${size}`);
      const notModified = await s3
        .send(new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: put.ETag }))
        .catch((error: { $metadata: { httpStatusCode?: number } }) => error.$metadata.httpStatusCode);
      assert.equal(notModified, 304);
    }
  });

  it("copies inline to file sizes and back, and across the limit by size", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("inline-copy");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const size of [INLINE_BODY_MAX, INLINE_BODY_MAX + 1]) {
      const body = bodyOf(size, "copy");
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `src-${size}`, Body: body }));
      const copy = await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: `dst-${size}`,
          CopySource: `${bucket}/src-${size}`,
          ChecksumAlgorithm: "CRC32C",
        }),
      );
      assert.equal(copy.CopyObjectResult?.ETag, md5(body));
      // The source overwritten afterwards: the copy has a body of its own.
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `src-${size}`, Body: "replaced" }));
      const { bytes } = await bytesOf(s3, { Bucket: bucket, Key: `dst-${size}` });
      assert.ok(bytes.equals(body), `copy of ${size}`);
      // Onto itself with new metadata (the body is reused).
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: `dst-${size}`,
          CopySource: `${bucket}/dst-${size}`,
          MetadataDirective: "REPLACE",
          Metadata: { changed: "yes" },
        }),
      );
      const again = await bytesOf(s3, { Bucket: bucket, Key: `dst-${size}` });
      assert.ok(again.bytes.equals(body));
      assert.deepEqual(again.answer.Metadata, { changed: "yes" });
    }
  });

  it("keeps noncurrent inline versions readable until they are deleted", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("inline-versions");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }),
    );
    const bodies = [bodyOf(10, "v1"), bodyOf(INLINE_BODY_MAX + 1, "v2"), bodyOf(INLINE_BODY_MAX, "v3")];
    const ids: string[] = [];
    for (const body of bodies) {
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: body }));
      ids.push(put.VersionId ?? "");
    }
    for (const [index, body] of bodies.entries()) {
      const { bytes } = await bytesOf(s3, { Bucket: bucket, Key: "k", VersionId: ids[index] });
      assert.ok(bytes.equals(body), `version ${index + 1}`);
    }
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: ids[0] }));
    const gone = await s3
      .send(new GetObjectCommand({ Bucket: bucket, Key: "k", VersionId: ids[0] }))
      .catch((error: { name: string }) => error.name);
    assert.equal(gone, "NoSuchVersion");
    const latest = await bytesOf(s3, { Bucket: bucket, Key: "k" });
    assert.ok(latest.bytes.equals(bodies[2] as Buffer));
  });

  it("multipart uploads still work, with parts copied from inline and file objects", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("inline-multipart");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const small = bodyOf(INLINE_BODY_MAX, "small");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "small", Body: small }));
    const first = bodyOf(5 * 1024 * 1024, "part1");
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "joined" }));
    const part1 = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: "joined", UploadId, PartNumber: 1, Body: first }),
    );
    const part2 = await s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: "joined",
        UploadId,
        PartNumber: 2,
        CopySource: `${bucket}/small`,
        CopySourceRange: "bytes=1-100",
      }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "joined",
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: part1.ETag },
            { PartNumber: 2, ETag: part2.CopyPartResult?.ETag },
          ],
        },
      }),
    );
    const { bytes } = await bytesOf(s3, { Bucket: bucket, Key: "joined" });
    assert.ok(bytes.equals(Buffer.concat([first, small.subarray(1, 101)])));
    // A copy of the (file-backed) multipart object below the limit would be inline; this one is not.
    await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: "joined-copy", CopySource: `${bucket}/joined` }),
    );
    const copied = await bytesOf(s3, { Bucket: bucket, Key: "joined-copy" });
    assert.equal(copied.bytes.length, bytes.length);
  });

  it("survives a restart, and only bodies over the limit have files", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stratus-s3-inline-"));
    const bucket = bucketName("inline-restart");
    try {
      let server = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      let s3 = new S3Client({ ...clientConfigFor(server.url), forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      for (const size of SIZES) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `o-${size}`, Body: bodyOf(size, "r") }));
      }
      const overLimit = SIZES.filter((size) => size > INLINE_BODY_MAX).length;
      assert.equal(await bodyFiles(dataDir), overLimit);
      // Overwriting and deleting inline objects leaves no files behind either.
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "o-1", Body: bodyOf(2, "r2") }));
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "o-0" }));
      assert.equal(await bodyFiles(dataDir), overLimit);
      s3.destroy();
      await server.close();

      server = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      s3 = new S3Client({ ...clientConfigFor(server.url), forcePathStyle: true });
      try {
        for (const size of SIZES.filter((s) => s > 1)) {
          const { bytes } = await bytesOf(s3, { Bucket: bucket, Key: `o-${size}` });
          assert.ok(bytes.equals(bodyOf(size, "r")), `o-${size} after the restart`);
        }
        const { bytes } = await bytesOf(s3, { Bucket: bucket, Key: "o-1" });
        assert.ok(bytes.equals(bodyOf(2, "r2")));
      } finally {
        s3.destroy();
        await server.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
