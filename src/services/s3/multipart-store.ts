/**
 * Multipart uploads over the shared KV store (store.ts has the rest of S3's layout):
 *
 *   ("s3", "upload", bucket, key, uploadId)   UploadRecord — ListMultipartUploads walks a bucket's in key order
 *   ("s3", "part", uploadId, partNumber)      PartRecord — ListParts walks an upload's in part order
 *
 * Each part's body is a file of its own (blobs.ts), named in ("s3", "blob", id) like an object's, so
 * the orphan sweep knows it is live. Completing an upload writes one new body from the parts and
 * removes the upload, its parts and their names in the transaction that commits the object.
 */

import type { ChecksumAlgorithm } from "../../aws/sigv4/checksums.ts";
import type { KvReader, KvTransaction } from "../../storage/kv.ts";
import { tuple, tupleRange } from "../../storage/tuple.ts";
import { noSuchUpload } from "./errors.ts";
import { blobKey, type ContentHeaders, type StoredChecksum } from "./store.ts";

export interface UploadRecord extends ContentHeaders {
  v: number;
  uploadId: string;
  key: string;
  /** Epoch milliseconds. */
  initiated: number;
  metadata: Record<string, string>;
  /** The algorithm named at creation (x-amz-checksum-algorithm), if any, and how parts combine. */
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: "FULL_OBJECT" | "COMPOSITE";
  owner: string;
  tags?: [key: string, value: string][];
}

export interface PartRecord {
  v: number;
  partNumber: number;
  blob: string;
  size: number;
  /** Hex MD5 of the part. */
  etag: string;
  lastModified: number;
  checksum: StoredChecksum;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const encode = (value: unknown) => utf8.encode(JSON.stringify(value));
const decode = <T>(bytes: Uint8Array): T => JSON.parse(fromUtf8.decode(bytes)) as T;
const EMPTY = new Uint8Array(0);

const UPLOAD_ID_CHARS_MAX = 128;

const uploadKey = (bucket: string, key: string, uploadId: string) =>
  tuple("s3", "upload", bucket, key, uploadId);
const partKey = (uploadId: string, partNumber: number) => tuple("s3", "part", uploadId, partNumber);

export class MultipartStore {
  async getUpload(
    r: KvReader,
    bucket: string,
    key: string,
    uploadId: string,
  ): Promise<UploadRecord | undefined> {
    // Ids Stratus hands out are 43 characters; anything much longer names no upload (nor a storage key).
    if (uploadId.length > UPLOAD_ID_CHARS_MAX) return undefined;
    const bytes = await r.get(uploadKey(bucket, key, uploadId));
    return bytes && decode<UploadRecord>(bytes);
  }

  /** The upload, or NoSuchUpload. */
  async requireUpload(r: KvReader, bucket: string, key: string, uploadId: string): Promise<UploadRecord> {
    const upload = await this.getUpload(r, bucket, key, uploadId);
    if (!upload) throw noSuchUpload(uploadId);
    return upload;
  }

  putUpload(tx: KvTransaction, bucket: string, record: UploadRecord): void {
    tx.put(uploadKey(bucket, record.key, record.uploadId), encode(record));
  }

  /** Removes the upload and its parts' records; returns the parts, whose bodies the caller removes after commit. */
  async deleteUpload(
    tx: KvTransaction,
    bucket: string,
    upload: UploadRecord,
    keepBlobs: Set<string> = new Set(),
  ): Promise<PartRecord[]> {
    const parts: PartRecord[] = [];
    for await (const part of this.parts(tx, upload.uploadId)) parts.push(part);
    for (const part of parts) {
      tx.delete(partKey(upload.uploadId, part.partNumber));
      if (!keepBlobs.has(part.blob)) tx.delete(blobKey(part.blob));
    }
    tx.delete(uploadKey(bucket, upload.key, upload.uploadId));
    return parts;
  }

  async getPart(r: KvReader, uploadId: string, partNumber: number): Promise<PartRecord | undefined> {
    const bytes = await r.get(partKey(uploadId, partNumber));
    return bytes && decode<PartRecord>(bytes);
  }

  /** Stores a part in place of one with the same number; returns the replaced part. */
  async putPart(tx: KvTransaction, uploadId: string, part: PartRecord): Promise<PartRecord | undefined> {
    const previous = await this.getPart(tx, uploadId, part.partNumber);
    tx.put(partKey(uploadId, part.partNumber), encode(part));
    if (previous) tx.delete(blobKey(previous.blob));
    tx.put(blobKey(part.blob), EMPTY);
    return previous;
  }

  /** An upload's parts in part-number order, after `afterPart` when given. */
  async *parts(r: KvReader, uploadId: string, afterPart = 0): AsyncGenerator<PartRecord> {
    const range = tupleRange("s3", "part", uploadId);
    const start = afterPart > 0 ? partKey(uploadId, afterPart + 1) : range.start;
    for await (const entry of r.range({ start, end: range.end })) yield decode<PartRecord>(entry.value);
  }

  /** A bucket's uploads in key order (then upload id), from storage key `start` on. */
  async *uploads(r: KvReader, bucket: string, start?: Uint8Array): AsyncGenerator<UploadRecord> {
    const range = tupleRange("s3", "upload", bucket);
    for await (const entry of r.range({ start: start ?? range.start, end: range.end }))
      yield decode<UploadRecord>(entry.value);
  }

  /** Where a listing resumes after (key, uploadId), or after every upload of `key` when no id is given. */
  uploadsAfter(bucket: string, key: string, uploadId?: string): Uint8Array {
    const after =
      uploadId === undefined
        ? tupleRange("s3", "upload", bucket, key).end
        : uploadKey(bucket, key, uploadId.slice(0, UPLOAD_ID_CHARS_MAX));
    const next = new Uint8Array(after.length + 1);
    next.set(after);
    return next;
  }
}
