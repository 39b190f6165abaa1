/**
 * The last step of UploadPart and UploadPartCopy, the same for both: a part whose body is already a
 * published file becomes the upload's part `partNumber` in one transaction (while the upload still
 * exists), replacing any earlier part of that number, whose file is removed after the commit. If the
 * commit fails, the new file is removed: no metadata ever names it.
 */
import type { S3Parts } from "./context.ts";
import type { PartRecord, UploadRecord } from "./multipart-store.ts";
import { wholeSeconds } from "./operations/put-object.ts";
import type { ComputedDigests } from "./upload-digest.ts";

export async function commitPart(
  s3: S3Parts,
  bucket: string,
  upload: UploadRecord,
  partNumber: number,
  blob: string,
  digests: ComputedDigests,
  now: Date,
): Promise<PartRecord> {
  const part: PartRecord = {
    v: 1,
    partNumber,
    blob,
    size: digests.size,
    etag: digests.md5Hex,
    lastModified: wholeSeconds(now.getTime()),
    checksum: digests.checksum,
  };
  let replaced: PartRecord | undefined;
  try {
    replaced = await s3.store.storage.transaction(async (tx) => {
      await s3.multipart.requireUpload(tx, bucket, upload.key, upload.uploadId);
      return s3.multipart.putPart(tx, upload.uploadId, part);
    });
  } catch (error) {
    await s3.blobs.remove(blob);
    throw error;
  }
  if (replaced) await s3.blobs.remove(replaced.blob).catch(() => undefined);
  return part;
}
