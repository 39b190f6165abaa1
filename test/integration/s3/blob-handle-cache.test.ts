/**
 * GETs through the blob handle cache (src/services/s3/blob-handles.ts): bodies are streamed from a
 * descriptor shared by every reader of the blob, and each reader must see the bytes of the version it
 * started on, whatever overwrites and deletes happen meanwhile.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";

const MiB = 1024 * 1024;

function bodyOf(bytes: number, fill: string): Buffer {
  const body = Buffer.alloc(bytes, fill);
  body.write(`${fill}-${bytes}`);
  return body;
}

async function get(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await answer.Body!.transformToByteArray());
}

describe("S3 GETs through the blob handle cache", () => {
  const stratus = useStratus();

  for (const size of [MiB, 6 * MiB]) {
    const label = `${size / MiB} MiB`;

    it(`answers concurrent GETs of one ${label} object with its bytes`, async () => {
      const s3 = stratus.s3();
      const bucket = bucketName("handles");
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const body = bodyOf(size, "a");
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: body }));
      const answers = await Promise.all(Array.from({ length: 16 }, () => get(s3, bucket, "k")));
      for (const answer of answers) assert.ok(answer.equals(body));
    });

    it(`finishes GETs of a ${label} object overwritten under them with the old bytes`, async () => {
      const s3 = stratus.s3();
      const bucket = bucketName("handles");
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const before = bodyOf(size, "b");
      const later = bodyOf(size, "c");
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: before }));
      // Answers whose bodies are not read yet: their files are open (or read) when the overwrite lands.
      const inFlight = await Promise.all(
        Array.from({ length: 4 }, () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" }))),
      );
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: later }));
      for (const answer of inFlight) {
        const bytes = Buffer.from(await answer.Body!.transformToByteArray());
        assert.ok(bytes.equals(before), "an old reader gets the old bytes, whole");
      }
      assert.ok((await get(s3, bucket, "k")).equals(later), "a new reader gets the new bytes");
    });

    it(`answers NoSuchKey for a deleted ${label} object, even one just read`, async () => {
      const s3 = stratus.s3();
      const bucket = bucketName("handles");
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const body = bodyOf(size, "d");
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: body }));
      assert.ok((await get(s3, bucket, "k")).equals(body));
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" }));
      const error = await sdkError(get(s3, bucket, "k"));
      assert.equal(error.name, "NoSuchKey");
    });
  }

  it("serves more distinct objects than the cache holds, each with its own bytes", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("handles");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // Over the inline limit (128 KiB), so each is a file; 80 > the cache's 64 handles.
    const bodies = Array.from({ length: 80 }, (_, i) =>
      bodyOf(200 * 1024, String.fromCharCode(65 + (i % 26))),
    );
    for (const [i, body] of bodies.entries()) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `k${i}`, Body: body }));
    }
    for (let round = 0; round < 2; round++) {
      const answers = await Promise.all(bodies.map((_, i) => get(s3, bucket, `k${i}`)));
      for (const [i, answer] of answers.entries()) assert.ok(answer.equals(bodies[i]!), `k${i}`);
    }
  });
});
