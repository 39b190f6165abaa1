/**
 * The source of CopyObject and UploadPartCopy: `x-amz-copy-source` (`bucket/key` or `/bucket/key`,
 * percent-encoded, optionally `?versionId=`, of which only `null` exists here) and the
 * `x-amz-copy-source-if-*` conditions, which answer 412 for each kind (CopyObject API reference).
 */
import type { ServiceRequest } from "../service.ts";
import { COPY_CONDITION_NAMES, evaluateConditions } from "./conditions.ts";
import type { S3Parts } from "./context.ts";
import { invalidCopySource, invalidVersionId, KEY_BYTES_MAX, noSuchBucket, noSuchKey } from "./errors.ts";
import { couldBeBucketName } from "./names.ts";
import { header } from "./request.ts";
import type { ObjectRecord } from "./store.ts";

export interface CopySource {
  bucket: string;
  key: string;
}

export function copySourceOf(request: ServiceRequest): CopySource {
  const raw = header(request, "x-amz-copy-source") ?? "";
  let path = raw;
  const q = raw.indexOf("?");
  if (q >= 0) {
    path = raw.slice(0, q);
    const versionId = new URLSearchParams(raw.slice(q + 1)).get("versionId");
    if (versionId !== null && versionId !== "null") throw invalidVersionId(versionId);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw invalidCopySource(raw);
  }
  if (decoded.startsWith("/")) decoded = decoded.slice(1);
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) throw invalidCopySource(raw);
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

/** NoSuchBucket unless the source bucket exists. */
export async function requireSourceBucket(s3: S3Parts, source: CopySource): Promise<void> {
  const bucket = couldBeBucketName(source.bucket)
    ? await s3.store.getBucket(s3.store.storage, source.bucket)
    : undefined;
  if (!bucket) throw noSuchBucket(source.bucket);
}

/** The source object as it is now, checked against the request's copy-source conditions. */
export async function readCopySource(
  s3: S3Parts,
  request: ServiceRequest,
  source: CopySource,
): Promise<ObjectRecord> {
  const record =
    Buffer.byteLength(source.key) > KEY_BYTES_MAX
      ? undefined
      : await s3.store.getObject(s3.store.storage, source.bucket, source.key);
  if (!record) throw noSuchKey(source.key);
  const outcome = evaluateConditions(
    {
      ifMatch: header(request, "x-amz-copy-source-if-match"),
      ifNoneMatch: header(request, "x-amz-copy-source-if-none-match"),
      ifModifiedSince: header(request, "x-amz-copy-source-if-modified-since"),
      ifUnmodifiedSince: header(request, "x-amz-copy-source-if-unmodified-since"),
    },
    record,
    COPY_CONDITION_NAMES,
    true,
  );
  if (outcome.kind === "failed") throw outcome.error;
  return record;
}
