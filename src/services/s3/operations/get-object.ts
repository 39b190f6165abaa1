/**
 * GetObject and HeadObject, of the latest version or one named by `versionId` (delete markers answer
 * 404 / 405 with `x-amz-delete-marker`), with `x-amz-expiration` when a lifecycle rule applies:
 * conditional requests (conditions.ts), one byte range (range.ts), the
 * `response-*` overrides, and the stored checksum when asked for with `x-amz-checksum-mode: ENABLED`
 * (whole-object answers only: S3's checksums cover the whole object). The body streams from its file,
 * or comes from the KV store when it is stored inline (body-reads.ts).
 *
 * ## Gaps
 * - `partNumber` (reading one part of a multipart object) is answered NotImplemented.
 */
import type { OperationHandler, ServiceRequest, ServiceResponse } from "../../service.ts";
import { openBody } from "../body-reads.ts";
import { evaluateConditions, GET_CONDITION_NAMES } from "../conditions.ts";
import type { S3Parts } from "../context.ts";
import { headerNotImplemented, noSuchKey } from "../errors.ts";
import { expirationHeader } from "../lifecycle/expiration-header.ts";
import { checksumHeaders, httpDate, objectResponseHeaders, quotedEtag } from "../object-headers.ts";
import { resolveRange } from "../range.ts";
import { header, queryValue } from "../request.ts";
import type { ObjectRecord } from "../store.ts";
import { checkVersionId, readableVersion } from "../versioning/read.ts";
import { bucketOf } from "./shared.ts";

/** A body replaced between reading its metadata and opening its file is looked up again, this often. */
const READ_ATTEMPTS = 3;

export function getObject(s3: S3Parts): OperationHandler {
  return (request) => readObject(s3, request, false);
}

export function headObject(s3: S3Parts): OperationHandler {
  return (request) => readObject(s3, request, true);
}

async function readObject(s3: S3Parts, request: ServiceRequest, head: boolean): Promise<ServiceResponse> {
  const bucket = await bucketOf(s3, request);
  const key = request.pathParams.Key ?? "";
  const versionId = queryValue(request, "versionId");
  checkVersionId(versionId);
  if (queryValue(request, "partNumber") !== undefined) throw headerNotImplemented("partNumber");
  const versioning = await s3.store.getVersioning(s3.store.storage, bucket.name);
  for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
    const { record } = await readableVersion(s3, bucket.name, key, versionId, head ? "HEAD" : "GET");
    const outcome = evaluateConditions(
      {
        ifMatch: header(request, "if-match"),
        ifNoneMatch: header(request, "if-none-match"),
        ifModifiedSince: header(request, "if-modified-since"),
        ifUnmodifiedSince: header(request, "if-unmodified-since"),
      },
      record,
      GET_CONDITION_NAMES,
      false,
    );
    if (outcome.kind === "failed") throw outcome.error;
    if (outcome.kind === "not-modified") return notModified(record);
    const range = resolveRange(header(request, "range"), record.size);
    const headers = objectResponseHeaders(request, record);
    if (record.websiteRedirectLocation)
      headers["x-amz-website-redirect-location"] = record.websiteRedirectLocation;
    // Buckets that have had versioning name the version read (the null version as "null").
    if (versioning !== undefined || record.versionId !== undefined)
      headers["x-amz-version-id"] = record.versionId ?? "null";
    const expiration = await expirationHeader(s3, bucket.name, record);
    if (expiration !== undefined) headers["x-amz-expiration"] = expiration;
    const length = range ? range.end - range.start + 1 : record.size;
    headers["Content-Length"] = String(length);
    if (range) headers["Content-Range"] = `bytes ${range.start}-${range.end}/${record.size}`;
    if (!range && header(request, "x-amz-checksum-mode")?.toUpperCase() === "ENABLED") {
      Object.assign(headers, checksumHeaders(record));
    }
    const status = range ? 206 : 200;
    if (head) return { status, headers };
    if (length === 0) return { status, headers, body: Buffer.alloc(0) };
    const body = await openBody(s3, record, range?.start ?? 0, range?.end ?? record.size - 1);
    if (!body) continue;
    return { status, headers, body };
  }
  throw noSuchKey(key);
}

/** 304: no body; S3 still sends the ETag and Last-Modified of the object. */
function notModified(record: ObjectRecord): ServiceResponse {
  return {
    status: 304,
    headers: { ETag: quotedEtag(record), "Last-Modified": httpDate(record.lastModified) },
  };
}
