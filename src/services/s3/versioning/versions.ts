/**
 * The versions of a key, inside one storage transaction: what a write or a delete does to them under
 * each versioning state of the bucket (S3 user guide, "Using versioning in S3 buckets"):
 *
 * - never versioned: a write replaces the object; a delete removes it. Every object is version `null`.
 * - Enabled: a write adds a version with a new id; a delete without a version id adds a delete marker.
 *   The latest version moves to the noncurrent list.
 * - Suspended: a write or a delete-marker takes version id `null`, replacing the key's existing `null`
 *   version (current or noncurrent) and keeping every other version.
 * - A delete naming a version removes exactly that one; when it was the latest, the newest noncurrent
 *   version becomes the latest again.
 *
 * The latest version lives at ("s3","object",bucket,key); the others under ("s3","noncurrent",...),
 * newest first. Invariant: a key with any version has a latest one. Functions return the body files
 * that no record names any more, for the caller to remove after the commit.
 */
import { randomBytes } from "node:crypto";
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import type { DeleteMarkerRecord, ObjectRecord, S3Store, VersioningStatus, VersionRecord } from "../store.ts";
import { isDeleteMarker } from "../store.ts";

/**
 * A new version id. S3's are opaque 32-character strings of letters, digits, `.` and `_`; a time
 * prefix is not needed since order is kept by the sequence number.
 */
export function newVersionId(): string {
  return randomBytes(24).toString("base64").replace(/\+/g, ".").replace(/\//g, "_");
}

/** Whether a version id could have been issued (by Stratus, or `null`): other values are InvalidArgument. */
export function isWellFormedVersionId(id: string): boolean {
  return id === "null" || /^[A-Za-z0-9._]{32}$/.test(id);
}

export interface VersionChange {
  /** Body files no record names after this transaction. */
  orphanedBlobs: string[];
}

/**
 * Stores `record` as the key's new latest version; sets its versionId and seq. `read` is the key's
 * latest version when the caller has already read it in `tx` (a PutObject has: one read fewer).
 */
export async function writeVersion(
  store: S3Store,
  tx: KvTransaction,
  bucket: string,
  status: VersioningStatus | undefined,
  record: ObjectRecord | DeleteMarkerRecord,
  read?: { latest: VersionRecord | undefined },
): Promise<VersionChange> {
  const latest = read ? read.latest : await store.getLatest(tx, bucket, record.key);
  const orphanedBlobs: string[] = [];
  record.seq = (latest?.seq ?? 0) + 1;
  if (status === "Enabled") record.versionId = newVersionId();
  else delete record.versionId;
  if (latest) {
    if (status === undefined || (status === "Suspended" && latest.versionId === undefined)) {
      // A null version is replaced by the new null version (never-versioned buckets only have that one);
      // with versioning Enabled even the null version is kept.
      if (!isDeleteMarker(latest) && (isDeleteMarker(record) || latest.blob !== record.blob)) {
        store.forgetBlob(tx, latest.blob);
        orphanedBlobs.push(latest.blob);
      }
    } else {
      store.putNoncurrent(tx, bucket, { ...latest, noncurrentSince: record.lastModified });
    }
  }
  if (status === "Suspended") {
    // At most one null version exists: an older, noncurrent one goes.
    for await (const version of store.noncurrent(tx, bucket, record.key)) {
      if (version.versionId !== undefined) continue;
      store.deleteNoncurrent(tx, bucket, version);
      if (!isDeleteMarker(version)) {
        store.forgetBlob(tx, version.blob);
        orphanedBlobs.push(version.blob);
      }
    }
  }
  store.putLatest(tx, bucket, record);
  return { orphanedBlobs };
}

/** A version of a key by id (`null` for the null version), latest or noncurrent. */
export async function findVersion(
  store: S3Store,
  r: KvReader,
  bucket: string,
  key: string,
  versionId: string,
): Promise<{ record: VersionRecord; latest: boolean } | undefined> {
  const wanted = versionId === "null" ? undefined : versionId;
  const latest = await store.getLatest(r, bucket, key);
  if (!latest) return undefined;
  if (latest.versionId === wanted) return { record: latest, latest: true };
  for await (const version of store.noncurrent(r, bucket, key)) {
    if (version.versionId === wanted) return { record: version, latest: false };
  }
  return undefined;
}

/** Removes one version for good; the newest noncurrent version becomes the latest if it was. */
export async function deleteVersion(
  store: S3Store,
  tx: KvTransaction,
  bucket: string,
  key: string,
  versionId: string,
): Promise<VersionChange & { removed?: VersionRecord }> {
  const found = await findVersion(store, tx, bucket, key, versionId);
  if (!found) return { orphanedBlobs: [] };
  const { record } = found;
  if (found.latest) {
    store.deleteLatest(tx, bucket, key);
    for await (const next of store.noncurrent(tx, bucket, key)) {
      store.deleteNoncurrent(tx, bucket, next);
      const { noncurrentSince: _, ...promoted } = next;
      store.putLatest(tx, bucket, promoted);
      break;
    }
  } else {
    store.deleteNoncurrent(tx, bucket, record);
  }
  if (isDeleteMarker(record)) return { orphanedBlobs: [], removed: record };
  store.forgetBlob(tx, record.blob);
  return { orphanedBlobs: [record.blob], removed: record };
}
