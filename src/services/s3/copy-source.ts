/**
 * The source of CopyObject and UploadPartCopy: `x-amz-copy-source` (`bucket/key` or `/bucket/key`,
 * percent-encoded, optionally `?versionId=`) and the
 * `x-amz-copy-source-if-*` conditions, which answer 412 for each kind (CopyObject API reference).
 */
import type { ServiceRequest } from "../service.ts";
import { COPY_CONDITION_NAMES, evaluateConditions } from "./conditions.ts";
import type { S3Parts } from "./context.ts";
import { invalidCopySource, invalidVersionId, KEY_BYTES_MAX, noSuchBucket, noSuchKey } from "./errors.ts";
import { couldBeBucketName } from "./names.ts";
import { header } from "./request.ts";
import { isDeleteMarker, type ObjectRecord } from "./store.ts";
import { copyFromDeleteMarker, noSuchVersion } from "./versioning/errors.ts";
import { findVersion, isWellFormedVersionId } from "./versioning/versions.ts";

export interface CopySource {
  bucket: string;
  key: string;
  /** `?versionId=` of the header; absent: the latest version. */
  versionId?: string;
}

export function copySourceOf(request: ServiceRequest): CopySource {
  const raw = header(request, "x-amz-copy-source") ?? "";
  let path = raw;
  let versionId: string | undefined;
  const q = raw.indexOf("?");
  if (q >= 0) {
    path = raw.slice(0, q);
    versionId = new URLSearchParams(raw.slice(q + 1)).get("versionId") ?? undefined;
    if (versionId !== undefined && !isWellFormedVersionId(versionId)) throw invalidVersionId(versionId);
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
  const source = { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
  return versionId === undefined ? source : { ...source, versionId };
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
  const record = await sourceVersion(s3, source);
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

/** The version a copy reads: the one named (NoSuchVersion, or InvalidRequest for a marker), or the latest. */
async function sourceVersion(s3: S3Parts, source: CopySource): Promise<ObjectRecord> {
  if (Buffer.byteLength(source.key) > KEY_BYTES_MAX) throw noSuchKey(source.key);
  if (source.versionId === undefined) {
    const record = await s3.store.getObject(s3.store.storage, source.bucket, source.key);
    if (!record) throw noSuchKey(source.key);
    return record;
  }
  const found = await findVersion(s3.store, s3.store.storage, source.bucket, source.key, source.versionId);
  if (!found) throw noSuchVersion(source.key, source.versionId);
  if (isDeleteMarker(found.record)) throw copyFromDeleteMarker();
  return found.record;
}
