/**
 * S3's in-process API (src/services/s3/api.ts), as Lambda, CloudFormation and a CDN use it: built on
 * real storage and a real blob dir, no socket.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { systemClock } from "../../../src/aws/clock.ts";
import { CredentialStore } from "../../../src/aws/credentials.ts";
import { createLogger } from "../../../src/log.ts";
import { createS3Service, type S3Service } from "../../../src/services/s3/index.ts";
import type { KvStore } from "../../../src/storage/kv.ts";
import { openMemoryStore } from "../../../src/storage/memory-engine.ts";

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

describe("S3 in-process API", () => {
  let storage: KvStore;
  let blobDir: string;
  let s3: S3Service;
  const closers: (() => Promise<void> | void)[] = [];
  before(async () => {
    storage = await openMemoryStore();
    blobDir = await mkdtemp(join(tmpdir(), "stratus-s3-api-"));
    s3 = createS3Service({
      storage,
      blobDir,
      clock: systemClock,
      logger: createLogger("silent"),
      credentials: new CredentialStore(),
      endpoint: { url: undefined },
      onClose: (hook) => closers.push(hook),
    });
  });
  after(async () => {
    for (const close of closers) await close();
    await storage.close();
    await rm(blobDir, { recursive: true, force: true });
  });

  it("creates a bucket, puts (buffer and stream), heads, reads ranges and deletes", async () => {
    await s3.api.createBucket({ account: "111111111111", bucket: "api-bucket", region: "us-east-1" });
    const put = await s3.api.put({
      account: "111111111111",
      bucket: "api-bucket",
      key: "code/function.zip",
      body: Buffer.from("zip bytes"),
      contentType: "application/zip",
      metadata: { Origin: "cfn" },
    });
    assert.equal(put.etag, `"${createHash("md5").update("zip bytes").digest("hex")}"`);
    assert.equal(put.size, 9);
    const head = await s3.api.head("api-bucket", "code/function.zip");
    assert.equal(head.contentType, "application/zip");
    assert.deepEqual(head.metadata, { origin: "cfn" });
    const read = await s3.api.read("api-bucket", "code/function.zip");
    assert.equal(await text(read.body), "zip bytes");
    const range = await s3.api.read("api-bucket", "code/function.zip", { start: 4, end: 100 });
    assert.equal(await text(range.body), "bytes");
    await s3.api.put({
      account: "111111111111",
      bucket: "api-bucket",
      key: "streamed",
      body: Readable.from(["a", "b", "c"]),
    });
    assert.equal(await text((await s3.api.read("api-bucket", "streamed")).body), "abc");
    await s3.api.put({ account: "111111111111", bucket: "api-bucket", key: "empty", body: Buffer.alloc(0) });
    assert.equal(await text((await s3.api.read("api-bucket", "empty")).body), "");
    await s3.api.deleteObject("api-bucket", "streamed");
    await assert.rejects(s3.api.head("api-bucket", "streamed"), { code: "NoSuchKey" });
  });

  it("fails with S3's errors", async () => {
    await assert.rejects(s3.api.read("no-such-api-bucket", "k"), { code: "NoSuchBucket", status: 404 });
    await assert.rejects(s3.api.head("api-bucket", "missing"), { code: "NoSuchKey" });
    await assert.rejects(s3.api.read("api-bucket", "code/function.zip", { start: 50, end: 60 }), {
      code: "InvalidRange",
    });
    await assert.rejects(
      s3.api.createBucket({ account: "222222222222", bucket: "api-bucket", region: "us-east-1" }),
      {
        code: "BucketAlreadyExists",
      },
    );
    await assert.rejects(
      s3.api.createBucket({ account: "111111111111", bucket: "Bad_Name", region: "us-east-1" }),
      {
        code: "InvalidBucketName",
      },
    );
    await assert.rejects(s3.api.deleteBucket("api-bucket"), { code: "BucketNotEmpty" });
  });

  it("serves what it writes through the HTTP operations too", async () => {
    const handler = s3.operations.HeadObject;
    assert.ok(handler);
    const response = await handler({
      operation: "HeadObject",
      context: {
        requestId: "TEST",
        accountId: "111111111111",
        region: "us-east-1",
        accessKeyId: "test",
        receivedAt: new Date(),
        clock: systemClock,
      },
      method: "HEAD",
      path: "/api-bucket/code/function.zip",
      pathParams: { Bucket: "api-bucket", Key: "code/function.zip" },
      query: new Map(),
      headers: {},
      body: Buffer.alloc(0),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers?.["Content-Length"], "9");
    assert.equal(response.headers?.["Content-Type"], "application/zip");
  });
});
