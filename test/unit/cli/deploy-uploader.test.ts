/**
 * The deploy bucket on a started Stratus: created on first use (with its location constraint outside
 * us-east-1), each artifact stored under its key once, and an artifact already there not uploaded
 * again.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as s3Sdk from "@aws-sdk/client-s3";
import { deployBucketName, formatBytes, s3ArtifactStore } from "../../../src/cli/deploy/uploader.ts";
import { sha256Hex } from "../../../src/cli/deploy/zip.ts";
import { useStratus } from "../../support/stratus.ts";

describe("stratus deploy: the deploy bucket", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates the bucket on first use and stores each content once, under its hash", async () => {
    const s3 = stratus.s3();
    const bucket = deployBucketName("000000000000", "us-east-1");
    assert.equal(bucket, "stratus-deploy-000000000000-us-east-1");
    const said: string[] = [];
    const store = s3ArtifactStore(s3Sdk, s3, bucket, "us-east-1", (line) => said.push(line));
    const bytes = Buffer.from("zip bytes");
    const key = sha256Hex(bytes);
    assert.deepEqual(await store.put(bytes, key, "/code"), { bucket, key });
    const object = await s3.send(new s3Sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(await object.Body?.transformToString(), "zip bytes");
    assert.deepEqual(said, [`Uploaded 9 B to s3://${bucket}/${key}`]);

    // A second store (a later deploy) finds the bucket and the object.
    const again = s3ArtifactStore(s3Sdk, s3, bucket, "us-east-1", (line) => said.push(line));
    assert.deepEqual(await again.put(bytes, key, "/code"), { bucket, key });
    assert.equal(said[1], `File with same data already exists at ${key}, skipping upload`);
  });

  it("creates the bucket of another region with its location constraint", async () => {
    const s3 = new s3Sdk.S3Client({ ...stratus.clientConfig(), region: "eu-west-1", forcePathStyle: true });
    try {
      const bucket = deployBucketName("000000000000", "eu-west-1");
      const store = s3ArtifactStore(s3Sdk, s3, bucket, "eu-west-1", () => {});
      await store.put(Buffer.from("x"), "k", "/code");
      const location = await s3.send(new s3Sdk.GetBucketLocationCommand({ Bucket: bucket }));
      assert.equal(location.LocationConstraint, "eu-west-1");
    } finally {
      s3.destroy();
    }
  });

  it("formats sizes for the upload lines", () => {
    assert.equal(formatBytes(914), "914 B");
    assert.equal(formatBytes(2048), "2.0 KiB");
    assert.equal(formatBytes(3 * 1024 * 1024), "3.0 MiB");
  });
});
