/**
 * Committing an object whose body file is already published: one storage transaction checks that the
 * bucket still exists and the write's conditions hold, then points the key at the new body. The body
 * it replaces is removed after the commit; a body whose commit failed is removed at once.
 */

import { Readable } from "node:stream";
import type { KvTransaction } from "../../storage/kv.ts";
import type { ServiceRequest } from "../service.ts";
import { etagMatches } from "./conditions.ts";
import type { S3Parts } from "./context.ts";
import { headerNotImplemented, noSuchKey, preconditionFailed } from "./errors.ts";
import { INLINE_BODY_MAX, isInlineBlob, newInlineId, receiveSpilling } from "./inline-bodies.ts";
import { bodyFailure, header } from "./request.ts";
import { isDeleteMarker, type ObjectRecord, type VersioningStatus } from "./store.ts";
import {
  BodyDigests,
  type ComputedDigests,
  DigestTap,
  digestMismatch,
  type ExpectedDigests,
} from "./upload-digest.ts";
import { writeVersion } from "./versioning/versions.ts";

/** PutObject's (and CopyObject's) conditions on the key being written. */
export interface WriteConditions {
  /** If-None-Match: * — only when nothing is stored under the key. */
  ifNoneMatchAny?: boolean;
  /** If-Match — only over an object with one of these ETags. */
  ifMatch?: string;
}

export function writeConditionsOf(request: ServiceRequest): WriteConditions {
  const conditions: WriteConditions = {};
  const ifNoneMatch = header(request, "if-none-match");
  if (ifNoneMatch !== undefined) {
    // S3 supports only `*` here (PutObject API reference).
    if (ifNoneMatch.trim() !== "*") throw headerNotImplemented("If-None-Match");
    conditions.ifNoneMatchAny = true;
  }
  const ifMatch = header(request, "if-match");
  if (ifMatch !== undefined) conditions.ifMatch = ifMatch;
  return conditions;
}

export function checkWriteConditions(
  conditions: WriteConditions,
  key: string,
  existing: ObjectRecord | undefined,
): void {
  if (conditions.ifNoneMatchAny && existing) throw preconditionFailed("If-None-Match");
  if (conditions.ifMatch !== undefined) {
    if (!existing) throw noSuchKey(key);
    if (!etagMatches(conditions.ifMatch, existing.etag)) throw preconditionFailed("If-Match");
  }
}

export interface CommitOptions {
  conditions?: WriteConditions;
  /** The record whose body `record` reuses (a copy onto itself): it must still be stored as read. */
  reusing?: { bucket: string; key: string; blob: string };
  /** More writes that belong to the same commit (completing a multipart upload removes it). */
  alongside?: (tx: KvTransaction) => Promise<void>;
  /** The bytes of `record`'s inline body (inline-bodies.ts), stored in the same transaction. */
  inline?: Uint8Array;
}

/** What a commit did: the record as stored (with its version id) and the bucket's versioning state. */
export interface Committed {
  record: ObjectRecord;
  versioning: VersioningStatus | undefined;
}

export async function commitObject(
  s3: S3Parts,
  bucket: string,
  record: ObjectRecord,
  options: CommitOptions = {},
): Promise<Committed> {
  let change: { orphanedBlobs: string[]; versioning: VersioningStatus | undefined };
  try {
    change = await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket);
      const versioning = await s3.store.getVersioning(tx, bucket);
      const latest = await s3.store.getLatest(tx, bucket, record.key);
      const existing = latest && !isDeleteMarker(latest) ? latest : undefined;
      if (options.conditions) checkWriteConditions(options.conditions, record.key, existing);
      if (options.reusing) {
        const source = await s3.store.getObject(tx, options.reusing.bucket, options.reusing.key);
        if (source?.blob !== options.reusing.blob) throw noSuchKey(options.reusing.key);
      }
      const { orphanedBlobs } = await writeVersion(s3.store, tx, bucket, versioning, record, { latest });
      if (options.inline) s3.store.putInlineBody(tx, record.blob, options.inline);
      await options.alongside?.(tx);
      return { orphanedBlobs, versioning };
    });
  } catch (error) {
    if (!options.reusing && !isInlineBlob(record.blob)) await s3.blobs.remove(record.blob);
    throw error;
  }
  // The metadata no longer names them; if removing fails, the sweep at the next start does it.
  await removeBlobs(s3, change.orphanedBlobs);
  return { record, versioning: change.versioning };
}

/** `x-amz-version-id` for a write's answer: only buckets that have had versioning send it. */
export function versionHeader(committed: Committed): Record<string, string> {
  return committed.versioning === undefined
    ? {}
    : { "x-amz-version-id": committed.record.versionId ?? "null" };
}

/**
 * Receives a body into a new published blob: streamed to a temp file through the digest tap, checked
 * against the expected digests (Content-MD5, checksum header), then renamed into place. A body that
 * fails leaves nothing behind. The caller commits metadata naming `blob`, or removes it.
 */
export async function receiveBody(
  s3: S3Parts,
  body: Readable | Buffer,
  expected: ExpectedDigests,
): Promise<{ blob: string; digests: ComputedDigests }> {
  const blob = s3.blobs.newId();
  const tap = new DigestTap(expected.algorithm);
  let temp: string;
  try {
    temp = await s3.blobs.receive(blob, body instanceof Readable ? body : Readable.from([body]), [tap]);
  } catch (error) {
    throw bodyFailure(error);
  }
  const digests = await tap.digests();
  const mismatch = digestMismatch(expected, digests);
  if (mismatch) {
    await s3.blobs.discardTemp(temp);
    throw mismatch;
  }
  await s3.blobs.publish(temp, blob);
  return { blob, digests };
}

/**
 * An object's body (PutObject, the in-process API): like `receiveBody`, but a body of at most
 * INLINE_BODY_MAX bytes stays in memory and comes back as `inline`, for `commitObject` to store in
 * the record's own transaction (no file, no fsync of its own). Longer bodies spill to a file as they
 * stream, without buffering the rest.
 */
export async function receiveObjectBody(
  s3: S3Parts,
  body: Readable | Buffer,
  expected: ExpectedDigests,
): Promise<{ blob: string; digests: ComputedDigests; inline?: Buffer }> {
  const hashes = new BodyDigests(expected.algorithm);
  // The file id is drawn only for a body that turns out too long to be inline. The closure is passed
  // inline, not bound to a name: tsx's keepNames would wrap a named one in `__name()` on every upload.
  let fileId = "";
  let received: Awaited<ReturnType<typeof receiveSpilling>>;
  try {
    received = await receiveSpilling(body, hashes, INLINE_BODY_MAX, () => {
      fileId = s3.blobs.newId();
      return s3.blobs.tempPath(fileId);
    });
  } catch (error) {
    throw bodyFailure(error);
  }
  const digests = await hashes.digests();
  const mismatch = digestMismatch(expected, digests);
  if (received.kind === "inline") {
    if (mismatch) throw mismatch;
    return { blob: newInlineId(), digests, inline: received.bytes };
  }
  if (mismatch) {
    await s3.blobs.discardTemp(received.temp);
    throw mismatch;
  }
  await s3.blobs.publish(received.temp, fileId);
  return { blob: fileId, digests };
}

/** Removes body files metadata no longer names; a failure is logged, and the next start's sweep retries. */
export async function removeBlobs(s3: S3Parts, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    // Inline bodies went with the transaction that forgot them.
    if (isInlineBlob(id)) continue;
    await s3.blobs.remove(id).catch((error: Error) => {
      s3.logger.warn(`S3: could not remove body ${id}: ${error.message}`);
    });
  }
}
