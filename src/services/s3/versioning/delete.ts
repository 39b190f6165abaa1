/**
 * Deleting one key (DeleteObject, each key of DeleteObjects, the in-process API) inside a storage
 * transaction, by the bucket's versioning state: a never-versioned bucket removes the object; a
 * versioned one adds a delete marker (S3 adds one even for a key with no versions); a version id
 * removes that version for good (versions.ts). The caller removes `orphanedBlobs` after the commit.
 */
import type { KvTransaction } from "../../../storage/kv.ts";
import type { S3Parts } from "../context.ts";
import { type DeleteMarkerRecord, isDeleteMarker, type VersioningStatus } from "../store.ts";
import { deleteVersion, writeVersion } from "./versions.ts";

export interface DeleteOutcome {
  orphanedBlobs: string[];
  /** A delete marker was created, or the version deleted was one. */
  deleteMarker: boolean;
  /** The version deleted, or the new marker's; undefined in never-versioned buckets without versionId. */
  versionId?: string;
  versioning: VersioningStatus | undefined;
  /** What the notification reports: a version removed or a marker created; nothing when nothing changed. */
  event?: "ObjectRemoved:Delete" | "ObjectRemoved:DeleteMarkerCreated";
}

/** One key's delete, by S3's rules for the bucket's versioning state (versioning/versions.ts). */
export async function deleteInTransaction(
  s3: S3Parts,
  tx: KvTransaction,
  bucket: string,
  key: string,
  versionId: string | undefined,
  context: { accountId: string; clock: { now(): Date } },
): Promise<DeleteOutcome> {
  const versioning = await s3.store.getVersioning(tx, bucket);
  if (versionId !== undefined) {
    const { orphanedBlobs, removed } = await deleteVersion(s3.store, tx, bucket, key, versionId);
    return {
      orphanedBlobs,
      deleteMarker: removed !== undefined && isDeleteMarker(removed),
      versionId,
      versioning,
      ...(removed ? { event: "ObjectRemoved:Delete" as const } : {}),
    };
  }
  if (versioning === undefined) {
    const removed = await s3.store.deleteObject(tx, bucket, key);
    return {
      orphanedBlobs: removed ? [removed.blob] : [],
      deleteMarker: false,
      versioning,
      ...(removed ? { event: "ObjectRemoved:Delete" as const } : {}),
    };
  }
  // S3 adds a marker even when the key has no versions at all.
  const marker: DeleteMarkerRecord = {
    v: 1,
    key,
    deleteMarker: true,
    // Whole seconds, as every S3 timestamp Stratus keeps (HTTP dates carry no more).
    lastModified: Math.floor(context.clock.now().getTime() / 1000) * 1000,
    owner: context.accountId,
  };
  const { orphanedBlobs } = await writeVersion(s3.store, tx, bucket, versioning, marker);
  return {
    orphanedBlobs,
    deleteMarker: true,
    versionId: marker.versionId ?? "null",
    versioning,
    event: "ObjectRemoved:DeleteMarkerCreated",
  };
}
