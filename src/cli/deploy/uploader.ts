/**
 * The S3 side of packaging: one bucket per account and region, `stratus-deploy-{account}-{region}`,
 * created on first use (as `sam deploy --resolve-s3` keeps one managed bucket), and each artifact
 * stored under its SHA-256 so that an unchanged artifact is found there and not uploaded again.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { ArtifactStore } from "./package.ts";

type S3Sdk = typeof import("@aws-sdk/client-s3");

export function deployBucketName(accountId: string, region: string): string {
  return `stratus-deploy-${accountId}-${region}`;
}

/** An ArtifactStore writing to the deploy bucket; reports each upload through `say`. */
export function s3ArtifactStore(
  sdk: S3Sdk,
  s3: S3Client,
  bucket: string,
  region: string,
  say: (line: string) => void,
): ArtifactStore {
  let bucketReady: Promise<void> | undefined;
  return {
    async put(bytes, key) {
      bucketReady ??= ensureBucket(sdk, s3, bucket, region);
      await bucketReady;
      if (await exists(sdk, s3, bucket, key)) {
        say(`File with same data already exists at ${key}, skipping upload`);
        return { bucket, key };
      }
      await s3.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
      say(`Uploaded ${formatBytes(bytes.byteLength)} to s3://${bucket}/${key}`);
      return { bucket, key };
    },
  };
}

async function ensureBucket(sdk: S3Sdk, s3: S3Client, bucket: string, region: string): Promise<void> {
  try {
    await s3.send(new sdk.HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await s3.send(
      new sdk.CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 takes no location constraint; every other region must name itself.
        ...(region === "us-east-1"
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
      }),
    );
  } catch (error) {
    // Another deploy created it in between.
    if ((error as { name?: string }).name !== "BucketAlreadyOwnedByYou") throw error;
  }
}

async function exists(sdk: S3Sdk, s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    name === "NotFound" ||
    name === "NoSuchBucket" ||
    name === "NoSuchKey" ||
    $metadata?.httpStatusCode === 404
  );
}

export function formatBytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KiB`;
  return `${(count / 1024 / 1024).toFixed(1)} MiB`;
}
