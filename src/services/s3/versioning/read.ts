/**
 * The version a read names: by `versionId` (404 NoSuchVersion when there is none; a delete marker is
 * 405 MethodNotAllowed) or the latest (a delete marker there is 404 NoSuchKey carrying the marker's
 * `x-amz-delete-marker` and `x-amz-version-id`). GetObject, HeadObject and the object tagging calls.
 */
import type { S3Parts } from "../context.ts";
import { invalidVersionId, KEY_BYTES_MAX, noSuchKey } from "../errors.ts";
import { isDeleteMarker, type ObjectRecord } from "../store.ts";
import { deleteMarkerMethodNotAllowed, noSuchKeyDeleted, noSuchVersion } from "./errors.ts";
import { findVersion, isWellFormedVersionId } from "./versions.ts";

/** A `versionId` parameter S3 could have issued, or InvalidArgument. */
export function checkVersionId(versionId: string | undefined): void {
  if (versionId !== undefined && !isWellFormedVersionId(versionId)) throw invalidVersionId(versionId);
}

export async function readableVersion(
  s3: S3Parts,
  bucket: string,
  key: string,
  versionId: string | undefined,
  method: string,
): Promise<{ record: ObjectRecord; latest: boolean }> {
  if (Buffer.byteLength(key) > KEY_BYTES_MAX) throw noSuchKey(key);
  if (versionId === undefined) {
    const latest = await s3.store.getLatest(s3.store.storage, bucket, key);
    if (!latest) throw noSuchKey(key);
    if (isDeleteMarker(latest)) throw noSuchKeyDeleted(key, latest);
    return { record: latest, latest: true };
  }
  const found = await findVersion(s3.store, s3.store.storage, bucket, key, versionId);
  if (!found) throw noSuchVersion(key, versionId);
  if (isDeleteMarker(found.record)) throw deleteMarkerMethodNotAllowed(method, found.record);
  return { record: found.record, latest: found.latest };
}
