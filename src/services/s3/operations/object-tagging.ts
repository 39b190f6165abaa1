/**
 * GetObjectTagging, PutObjectTagging, DeleteObjectTagging. Tags live in the object's record; changing
 * them rewrites the record (same body, ETag and Last-Modified) in one transaction. `versionId` names
 * an older version; delete markers have no tags (405, as GetObject).
 */
import type { OperationHandler } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { noSuchKey } from "../errors.ts";
import { queryValue, readSmallBody } from "../request.ts";
import { isDeleteMarker, type ObjectRecord } from "../store.ts";
import { type Tags, tagSetXml, tagsOfDocument } from "../tagging.ts";
import { checkVersionId, readableVersion } from "../versioning/read.ts";
import { findVersion } from "../versioning/versions.ts";
import { xmlDocument } from "../xml.ts";
import { bucketOf, xmlResponse } from "./shared.ts";

export function getObjectTagging(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const key = request.pathParams.Key ?? "";
    const versionId = queryValue(request, "versionId");
    checkVersionId(versionId);
    const { record } = await readableVersion(s3, bucket.name, key, versionId, "GET");
    return xmlResponse(xmlDocument("Tagging", tagSetXml(record.tags ?? [])), 200, {
      ...(await versionHeaderOf(s3, bucket.name, record)),
    });
  };
}

export function putObjectTagging(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const key = request.pathParams.Key ?? "";
    const versionId = queryValue(request, "versionId");
    checkVersionId(versionId);
    const tags = tagsOfDocument((await readSmallBody(request)).toString("utf8"));
    const record = await retag(s3, bucket.name, key, versionId, tags);
    return { status: 200, headers: await versionHeaderOf(s3, bucket.name, record) };
  };
}

export function deleteObjectTagging(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const versionId = queryValue(request, "versionId");
    checkVersionId(versionId);
    const record = await retag(s3, bucket.name, request.pathParams.Key ?? "", versionId, []);
    return { status: 204, headers: await versionHeaderOf(s3, bucket.name, record) };
  };
}

/** `x-amz-version-id` of the version the call read or changed, in buckets that have had versioning. */
async function versionHeaderOf(
  s3: S3Parts,
  bucket: string,
  record: ObjectRecord,
): Promise<Record<string, string>> {
  const versioning = await s3.store.getVersioning(s3.store.storage, bucket);
  return versioning === undefined && record.versionId === undefined
    ? {}
    : { "x-amz-version-id": record.versionId ?? "null" };
}

/** Rewrites one version's record with new tags, in place (same body, ETag, Last-Modified). */
async function retag(
  s3: S3Parts,
  bucket: string,
  key: string,
  versionId: string | undefined,
  tags: Tags,
): Promise<ObjectRecord> {
  // Read outside for S3's errors (NoSuchKey, NoSuchVersion, 405 for a marker), then again inside.
  const { record: read } = await readableVersion(s3, bucket, key, versionId, "PUT");
  return s3.store.storage.transaction(async (tx) => {
    await s3.store.requireBucket(tx, bucket);
    const found = await findVersion(s3.store, tx, bucket, key, read.versionId ?? "null");
    if (!found || isDeleteMarker(found.record)) throw noSuchKey(key);
    const updated: ObjectRecord = { ...found.record };
    if (tags.length > 0) updated.tags = tags;
    else delete updated.tags;
    if (found.latest) s3.store.putLatest(tx, bucket, updated);
    else s3.store.putNoncurrent(tx, bucket, updated);
    return updated;
  });
}
