/** What several S3 operations share: finding the bucket and key of a request, and XML answers. */
import type { ServiceRequest, ServiceResponse } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { invalidBucketName, KEY_BYTES_MAX, keyTooLong, noSuchBucket } from "../errors.ts";
import { couldBeBucketName } from "../names.ts";
import { discardBody } from "../request.ts";
import type { BucketRecord } from "../store.ts";

/**
 * The request's bucket, or the error S3 answers (after reading away any body, so that a bad
 * signature still shows as one): InvalidBucketName for a name no bucket can have (S3 answers so even
 * to a listing of bucket "a"), NoSuchBucket otherwise.
 */
export async function bucketOf(s3: S3Parts, request: ServiceRequest): Promise<BucketRecord> {
  const name = request.pathParams.Bucket ?? "";
  const possible = couldBeBucketName(name);
  const bucket = possible ? await s3.store.getBucket(s3.store.storage, name) : undefined;
  if (!bucket) {
    await discardBody(request);
    throw possible ? noSuchBucket(name) : invalidBucketName(name);
  }
  return bucket;
}

/** The request's object key; a key S3 could not store is KeyTooLongError. */
export function keyOf(request: ServiceRequest): string {
  const key = request.pathParams.Key ?? "";
  const size = Buffer.byteLength(key, "utf8");
  if (size > KEY_BYTES_MAX) throw keyTooLong(size);
  return key;
}

export function xmlResponse(
  body: string,
  status = 200,
  headers: Record<string, string> = {},
): ServiceResponse {
  return { status, headers: { "Content-Type": "application/xml", ...headers }, body };
}
