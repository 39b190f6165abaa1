import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { startStratus } from "../../../src/server.ts";
import { clientConfigFor, useStratus } from "../../support/stratus.ts";
import { bucketName } from "./helpers.ts";

const MiB = 1024 * 1024;

/** A full collection before measuring, so the baseline is not inflated by earlier tests' garbage. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** 64 KiB chunks of a deterministic, non-repeating pattern, generated as they are read. */
function patternStream(totalBytes: number): { stream: Readable; sha256: () => string } {
  const hash = createHash("sha256");
  let sent = 0;
  let counter = 0;
  const stream = new Readable({
    read() {
      if (sent >= totalBytes) {
        this.push(null);
        return;
      }
      const size = Math.min(64 * 1024, totalBytes - sent);
      const seed = createHash("sha256").update(String(counter++)).digest();
      const chunk = Buffer.alloc(size);
      for (let i = 0; i < size; i += seed.length) seed.copy(chunk, i);
      hash.update(chunk);
      sent += size;
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.digest("hex") };
}

/** The SHA-256 and length of a downloaded body, read as it streams. */
async function digestOf(body: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

describe("S3 streaming: large bodies never held in memory", () => {
  const stratus = useStratus({ inMemory: true });

  it("uploads and downloads 50 MB through streams, bytes intact (sha256), at low RSS", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("big");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const size = 50 * MiB;
    collectGarbage();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 20);
    try {
      const upload = patternStream(size);
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: "big.bin", Body: upload.stream, ContentLength: size }),
      );
      const expected = upload.sha256();
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "big.bin" }));
      assert.equal(head.ContentLength, size);
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "big.bin" }));
      assert.deepEqual(await digestOf(get.Body as Readable), { sha256: expected, bytes: size });
    } finally {
      clearInterval(sampler);
    }
    // Server and client share this process: had either held the body whole, RSS would have grown by at
    // least the object's size at once. Streaming leaves chunk buffers and not-yet-collected garbage
    // (measured: about 35 MiB for 50 MiB, 44 MiB for 150 MiB — it does not grow with the object).
    const growthMiB = (rssPeak - rssBefore) / MiB;
    assert.ok(growthMiB < size / MiB, `RSS grew by ${growthMiB.toFixed(1)} MiB while moving a 50 MiB object`);
  });

  it("carries on when downloads are abandoned part-way, and serves the object whole afterwards", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("abandon");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const size = 8 * MiB;
    const upload = patternStream(size);
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "big.bin", Body: upload.stream, ContentLength: size }),
    );
    const expected = upload.sha256();
    // Bounded: 20 downloads, each dropped after its first chunk.
    for (let i = 0; i < 20; i++) {
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "big.bin" }));
      const body = get.Body as Readable;
      for await (const _ of body) break;
      body.destroy();
    }
    const ranged = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: "big.bin", Range: "bytes=1048570-1048585" }),
    );
    assert.equal(ranged.ContentLength, 16);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "big.bin" }));
    assert.deepEqual(await digestOf(get.Body as Readable), { sha256: expected, bytes: size });
  });
});

describe("S3 persistence on a data dir", () => {
  it("serves buckets and objects written before a restart, and sweeps orphaned bodies", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stratus-s3-restart-"));
    const bucket = bucketName("persist");
    const orphanDir = join(dataDir, "blobs", "s3", "objects", "ff");
    const orphan = join(orphanDir, "ff000000000000000000000000000000");
    try {
      let server = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      let s3 = new S3Client({ ...clientConfigFor(server.url), forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const put = await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "kept/object.txt",
          Body: "survives restarts",
          ContentType: "text/plain",
          Metadata: { a: "b" },
        }),
      );
      s3.destroy();
      await server.close();
      // A body file no metadata names, as a crash between publishing a body and committing it leaves.
      await mkdir(orphanDir, { recursive: true });
      await writeFile(orphan, "orphan");
      const old = new Date(Date.now() - 3_600_000);
      await utimes(orphan, old, old);

      server = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      s3 = new S3Client({ ...clientConfigFor(server.url), forcePathStyle: true });
      try {
        const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "kept/object.txt" }));
        assert.equal(await get.Body?.transformToString(), "survives restarts");
        assert.equal(get.ETag, put.ETag);
        assert.equal(get.ContentType, "text/plain");
        assert.deepEqual(get.Metadata, { a: "b" });
        const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        assert.deepEqual(
          list.Contents?.map((o) => o.Key),
          ["kept/object.txt"],
        );
        // The sweep runs behind the first requests; wait for it, boundedly.
        for (let i = 0; i < 100 && (await readdir(orphanDir)).length > 0; i++) await sleep(50);
        assert.deepEqual(await readdir(orphanDir), [], "the orphaned body was swept");
      } finally {
        s3.destroy();
        await server.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
