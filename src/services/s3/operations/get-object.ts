/**
 * GetObject and HeadObject: conditional requests (conditions.ts), one byte range (range.ts), the
 * `response-*` overrides, and the stored checksum when asked for with `x-amz-checksum-mode: ENABLED`
 * (whole-object answers only: S3's checksums cover the whole object). The body streams from its file.
 *
 * ## Gaps
 * - `partNumber` (reading one part of a multipart object) is answered NotImplemented.
 */
import type { OperationHandler, ServiceRequest, ServiceResponse } from "../../service.ts";
import { evaluateConditions, GET_CONDITION_NAMES } from "../conditions.ts";
import type { S3Parts } from "../context.ts";
import { headerNotImplemented, invalidVersionId, KEY_BYTES_MAX, noSuchKey } from "../errors.ts";
import { checksumHeaders, httpDate, objectResponseHeaders, quotedEtag } from "../object-headers.ts";
import { resolveRange } from "../range.ts";
import { header, queryValue } from "../request.ts";
import type { ObjectRecord } from "../store.ts";
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
  if (versionId !== undefined && versionId !== "null") throw invalidVersionId(versionId);
  if (queryValue(request, "partNumber") !== undefined) throw headerNotImplemented("partNumber");
  for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
    const record =
      Buffer.byteLength(key) > KEY_BYTES_MAX
        ? undefined
        : await s3.store.getObject(s3.store.storage, bucket.name, key);
    if (!record) throw noSuchKey(key);
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
    const length = range ? range.end - range.start + 1 : record.size;
    headers["Content-Length"] = String(length);
    if (range) headers["Content-Range"] = `bytes ${range.start}-${range.end}/${record.size}`;
    if (!range && header(request, "x-amz-checksum-mode")?.toUpperCase() === "ENABLED") {
      Object.assign(headers, checksumHeaders(record));
    }
    const status = range ? 206 : 200;
    if (head) return { status, headers };
    if (length === 0) return { status, headers, body: Buffer.alloc(0) };
    const file = await s3.blobs.open(record.blob);
    if (!file) continue;
    const body = file.createReadStream({ start: range?.start ?? 0, end: range?.end ?? record.size - 1 });
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
