/**
 * PutObject: the body streams from the socket through the edge's verifier (signature, aws-chunked
 * framing, trailing checksum) and a digest tap (MD5 for the ETag, the stored checksum) into memory
 * (small bodies, stored inline in the KV store: inline-bodies.ts) or a temp file; only a body that verified and matches its Content-MD5 and checksum headers is published and
 * committed (object-writes.ts) as a new version in versioned buckets. Memory stays flat whatever the
 * object's size. The ObjectCreated:Put notification follows the commit.
 *
 * A canned `x-amz-acl` and `x-amz-website-redirect-location` are kept with the object
 * (access/object-acl.ts), checked against the bucket's ownership and public access block first.
 *
 * ## Gaps
 * - SSE-KMS, object lock and storage classes other than STANDARD are not stored (their headers are
 *   accepted and ignored); `x-amz-grant-*` headers are ignored; SSE-C is refused with NotImplemented.
 */
import { AwsError } from "../../../aws/errors.ts";
import type { OperationHandler, ServiceRequest } from "../../service.ts";
import { objectWriteFields } from "../access/object-acl.ts";
import type { S3Parts } from "../context.ts";
import { headerNotImplemented, missingContentLength } from "../errors.ts";
import { expirationHeader } from "../lifecycle/expiration-header.ts";
import { notifyObjectEvent } from "../notifications/emit.ts";
import { checksumHeaders, contentHeadersOf, quotedEtag, userMetadataOf } from "../object-headers.ts";
import { commitObject, receiveObjectBody, versionHeader, writeConditionsOf } from "../object-writes.ts";
import { discardBody, header } from "../request.ts";
import type { ObjectRecord } from "../store.ts";
import { type Tags, tagsOfHeader } from "../tagging.ts";
import { expectedDigests } from "../upload-digest.ts";
import { bucketOf, keyOf } from "./shared.ts";

export function putObject(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    let prepared: ReturnType<typeof prepare>;
    try {
      prepared = prepare(request);
    } catch (error) {
      await discardBody(request);
      throw error;
    }
    const { key, expected, contentHeaders, metadata, conditions, tags } = prepared;
    // The ACL is checked against the bucket's settings before any byte of the body is stored.
    const access = await objectWriteFields(s3, bucket.name, request).catch(async (error: unknown) => {
      await discardBody(request);
      throw error;
    });
    const { blob, digests, inline } = await receiveObjectBody(s3, request.body, expected);
    const record: ObjectRecord = {
      v: 1,
      key,
      blob,
      size: digests.size,
      etag: digests.md5Hex,
      lastModified: wholeSeconds(request.context.clock.now().getTime()),
      ...contentHeaders,
      metadata,
      checksum: digests.checksum,
      owner: request.context.accountId,
      ...taggedWith(tags),
      ...access,
    };
    const committed = await commitObject(s3, bucket.name, record, {
      conditions,
      ...(inline ? { inline } : {}),
    });
    await notifyObjectEvent(s3, request, bucket.name, "ObjectCreated:Put", { key, ...committed });
    const headers: Record<string, string> = {
      ETag: quotedEtag(record),
      "x-amz-server-side-encryption": "AES256",
      ...versionHeader(committed),
    };
    // S3 tells the writer when a lifecycle rule will expire the new object (PutObject API reference).
    const expiration = await expirationHeader(s3, bucket.name, record);
    if (expiration !== undefined) headers["x-amz-expiration"] = expiration;
    // S3 echoes the checksum when the client asked for one (header, trailer or algorithm).
    if (expected.clientAlgorithm !== undefined) Object.assign(headers, checksumHeaders(record));
    return { status: 200, headers };
  };
}

/** Everything checked before the first byte of the body is read. */
function prepare(request: ServiceRequest) {
  const key = keyOf(request);
  if (
    header(request, "content-length") === undefined &&
    header(request, "x-amz-decoded-content-length") === undefined
  ) {
    throw missingContentLength();
  }
  // Customer-provided keys change what is stored and how it is read back: not emulated, so refused.
  if (header(request, "x-amz-server-side-encryption-customer-algorithm") !== undefined) {
    throw headerNotImplemented("x-amz-server-side-encryption-customer-algorithm");
  }
  const expected = expectedDigests(request);
  if (expected instanceof AwsError) throw expected;
  return {
    key,
    expected,
    contentHeaders: contentHeadersOf(request),
    metadata: userMetadataOf(request),
    conditions: writeConditionsOf(request),
    tags: tagsOf(request),
  };
}

/** The `x-amz-tagging` header's tags (none without it). */
export function tagsOf(request: ServiceRequest): Tags {
  const value = header(request, "x-amz-tagging");
  return value === undefined ? [] : tagsOfHeader(value);
}

/** `{ tags }` for a record, or nothing when there are none (records leave the field out). */
export function taggedWith(tags: Tags): { tags?: Tags } {
  return tags.length > 0 ? { tags } : {};
}

export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
