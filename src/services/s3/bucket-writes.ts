/**
 * Creating and deleting buckets, shared by the HTTP operations (operations/buckets.ts) and the
 * in-process API (api.ts). Bucket names are one namespace for all accounts: a name another account
 * holds is BucketAlreadyExists, one's own BucketAlreadyOwnedByYou — except in us-east-1, where S3
 * answers 200 for legacy compatibility (CreateBucket API reference).
 */
import type { S3Parts } from "./context.ts";
import { bucketAlreadyExists, bucketAlreadyOwnedByYou, bucketNotEmpty, invalidBucketName } from "./errors.ts";
import type { PartRecord, UploadRecord } from "./multipart-store.ts";
import { isValidBucketName } from "./names.ts";
import { removeBlobs } from "./object-writes.ts";

export const US_EAST_1 = "us-east-1";

export interface NewBucket {
  name: string;
  account: string;
  /** Where the bucket lives. */
  region: string;
  /** The region of the endpoint asked (decides the us-east-1 legacy answer). */
  endpointRegion: string;
  /** Epoch milliseconds. */
  now: number;
}

export async function insertBucket(s3: S3Parts, bucket: NewBucket): Promise<void> {
  const { name, account } = bucket;
  if (!isValidBucketName(name)) throw invalidBucketName(name);
  await s3.store.storage.transaction(async (tx) => {
    const existing = await s3.store.getBucket(tx, name);
    if (existing) {
      if (existing.account !== account) throw bucketAlreadyExists(name);
      if (existing.region === US_EAST_1 && bucket.endpointRegion === US_EAST_1) return;
      throw bucketAlreadyOwnedByYou(name);
    }
    s3.store.putBucket(tx, s3.store.newBucketRecord(name, account, bucket.region, bucket.now));
  });
}

/**
 * Deletes an empty bucket (NoSuchBucket, BucketNotEmpty). Unfinished multipart uploads do not keep a
 * bucket alive; they go with it.
 */
export async function removeBucket(s3: S3Parts, name: string): Promise<void> {
  const abandoned = await s3.store.storage.transaction(async (tx) => {
    const bucket = await s3.store.requireBucket(tx, name);
    if (await s3.store.hasObjects(tx, name)) throw bucketNotEmpty(name);
    s3.store.deleteBucket(tx, bucket);
    const uploads: UploadRecord[] = [];
    for await (const upload of s3.multipart.uploads(tx, name)) uploads.push(upload);
    const parts: PartRecord[] = [];
    for (const upload of uploads) parts.push(...(await s3.multipart.deleteUpload(tx, name, upload)));
    return parts;
  });
  await removeBlobs(
    s3,
    abandoned.map((part) => part.blob),
  );
}
