/**
 * CopyObject: `x-amz-copy-source` names `bucket/key` (optionally `/bucket/key`, URL-encoded, with
 * `?versionId=` for an older version); `x-amz-copy-source-if-*` conditions apply to the source (412 for each kind);
 * `x-amz-metadata-directive` COPY (default) keeps the source's content headers and user metadata,
 * REPLACE takes the request's; `x-amz-tagging-directive` likewise for tags (`x-amz-tagging`). The body is copied (inline when
 * small: inline-bodies.ts; or, onto itself, reused) before the commit.
 *
 * ## Gaps
 * - ACLs, SSE-C/KMS, storage classes: not applied.
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { type ChecksumAlgorithm, createChecksum } from "../../../aws/sigv4/checksums.ts";
import type { OperationHandler } from "../../service.ts";
import { objectWriteFields } from "../access/object-acl.ts";
import { readWholeBody } from "../body-reads.ts";
import type { S3Parts } from "../context.ts";
import { copySourceOf, readCopySource, requireSourceBucket } from "../copy-source.ts";
import {
  COPY_SOURCE_BYTES_MAX,
  copySourceTooLarge,
  copyToItself,
  invalidMetadataDirective,
  invalidTaggingDirective,
  noSuchKey,
} from "../errors.ts";
import { INLINE_BODY_MAX, isInlineBlob, newInlineId } from "../inline-bodies.ts";
import { notifyObjectEvent } from "../notifications/emit.ts";
import { contentHeadersOf, quotedEtag, userMetadataOf } from "../object-headers.ts";
import { commitObject, versionHeader, writeConditionsOf } from "../object-writes.ts";
import { discardBody, header } from "../request.ts";
import type { ObjectRecord, StoredChecksum } from "../store.ts";
import { checksumAlgorithmHeader } from "../upload-digest.ts";
import { el, isoTime, xmlDocument } from "../xml.ts";
import { taggedWith, tagsOf, wholeSeconds } from "./put-object.ts";
import { bucketOf, keyOf, xmlResponse } from "./shared.ts";

/** A source replaced while its file is being copied is looked up again, this often. */
const COPY_ATTEMPTS = 3;

export function copyObject(s3: S3Parts): OperationHandler {
  return async (request) => {
    await discardBody(request);
    const bucket = await bucketOf(s3, request);
    const key = keyOf(request);
    const source = copySourceOf(request);
    const directive = (header(request, "x-amz-metadata-directive") ?? "COPY").toUpperCase();
    if (directive !== "COPY" && directive !== "REPLACE") {
      throw invalidMetadataDirective(header(request, "x-amz-metadata-directive") ?? "");
    }
    const taggingDirective = (header(request, "x-amz-tagging-directive") ?? "COPY").toUpperCase();
    if (taggingDirective !== "COPY" && taggingDirective !== "REPLACE") {
      throw invalidTaggingDirective(header(request, "x-amz-tagging-directive") ?? "");
    }
    const algorithm = checksumAlgorithmHeader(request);
    const conditions = writeConditionsOf(request);
    // A copy is private unless the request names an ACL (S3 does not copy the source's ACL).
    const access = await objectWriteFields(s3, bucket.name, request);
    await requireSourceBucket(s3, source);
    // Copying an older version onto its own key is an ordinary copy (it restores that version).
    const ontoItself = source.bucket === bucket.name && source.key === key && source.versionId === undefined;
    // A versioned bucket keeps the replaced version, so the copy needs a body file of its own.
    const reuseBody =
      ontoItself && (await s3.store.getVersioning(s3.store.storage, bucket.name)) === undefined;
    const sourceVersioned = (await s3.store.getVersioning(s3.store.storage, source.bucket)) !== undefined;
    for (let attempt = 0; attempt < COPY_ATTEMPTS; attempt++) {
      const from = await readCopySource(s3, request, source);
      if (from.size > COPY_SOURCE_BYTES_MAX) throw copySourceTooLarge();
      const changesSomething =
        directive === "REPLACE" ||
        (algorithm !== undefined && algorithm !== from.checksum.algorithm) ||
        header(request, "x-amz-storage-class") !== undefined ||
        header(request, "x-amz-website-redirect-location") !== undefined ||
        header(request, "x-amz-server-side-encryption") !== undefined;
      if (ontoItself && !changesSomething) throw copyToItself();
      const body = reuseBody ? { blob: from.blob } : await copyBody(s3, from);
      if (body === undefined) continue;
      const { blob, inline } = body;
      const checksum =
        algorithm === undefined || algorithm === from.checksum.algorithm
          ? from.checksum
          : await checksumOf(inline ?? createReadStream(s3.blobs.pathOf(blob)), algorithm);
      const record: ObjectRecord = {
        v: 1,
        key,
        blob,
        size: from.size,
        etag: from.etag,
        lastModified: wholeSeconds(request.context.clock.now().getTime()),
        ...(directive === "REPLACE" ? contentHeadersOf(request) : contentHeadersFrom(from)),
        metadata: directive === "REPLACE" ? userMetadataOf(request) : { ...from.metadata },
        ...taggedWith(taggingDirective === "REPLACE" ? tagsOf(request) : (from.tags ?? [])),
        checksum,
        owner: request.context.accountId,
        ...access,
      };
      const committed = await commitObject(s3, bucket.name, record, {
        conditions,
        ...(reuseBody ? { reusing: { bucket: source.bucket, key: source.key, blob } } : {}),
        ...(inline ? { inline } : {}),
      });
      await notifyObjectEvent(s3, request, bucket.name, "ObjectCreated:Copy", { key, ...committed });
      const result =
        el("LastModified", isoTime(record.lastModified)) +
        el("ETag", quotedEtag(record)) +
        el("ChecksumType", record.checksum.type ?? "FULL_OBJECT") +
        el(`Checksum${record.checksum.algorithm.toUpperCase()}`, record.checksum.value);
      return xmlResponse(xmlDocument("CopyObjectResult", result), 200, {
        "x-amz-server-side-encryption": "AES256",
        ...versionHeader(committed),
        // The version read, when the source bucket has had versioning or one was named.
        ...(sourceVersioned || source.versionId !== undefined
          ? { "x-amz-copy-source-version-id": from.versionId ?? "null" }
          : {}),
      });
    }
    throw noSuchKey(source.key);
  };
}

function contentHeadersFrom(record: ObjectRecord) {
  const { contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, expires } = record;
  return Object.fromEntries(
    Object.entries({
      contentType,
      contentEncoding,
      contentDisposition,
      contentLanguage,
      cacheControl,
      expires,
    }).filter(([, value]) => value !== undefined),
  ) as Pick<ObjectRecord, "contentType">;
}

async function checksumOf(body: Buffer | Readable, algorithm: ChecksumAlgorithm): Promise<StoredChecksum> {
  const checksum = createChecksum(algorithm);
  if (Buffer.isBuffer(body)) checksum.update(body);
  else for await (const chunk of body) checksum.update(chunk as Buffer);
  return { algorithm, value: await checksum.digest() };
}

/**
 * The copy's own body: inline when it is small enough (whatever the source's storage), else a durable
 * copy of the source's file. Undefined when the source's body is gone (replaced meanwhile).
 */
async function copyBody(
  s3: S3Parts,
  from: ObjectRecord,
): Promise<{ blob: string; inline?: Buffer } | undefined> {
  // An inline source over the limit (stored under a larger limit) stays inline: it has no file to copy.
  if (from.size <= INLINE_BODY_MAX || isInlineBlob(from.blob)) {
    const inline = await readWholeBody(s3, from);
    return inline && { blob: newInlineId(), inline };
  }
  const blob = s3.blobs.newId();
  const temp = await s3.blobs.copyToTemp(from.blob, blob).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (temp === undefined) return undefined;
  await s3.blobs.publish(temp, blob);
  return { blob };
}
