/**
 * GetObjectTagging, PutObjectTagging, DeleteObjectTagging. Tags live in the object's record; changing
 * them rewrites the record (same body, ETag and Last-Modified) in one transaction.
 */
import type { OperationHandler, ServiceRequest } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { invalidVersionId, KEY_BYTES_MAX, noSuchKey } from "../errors.ts";
import { queryValue, readSmallBody } from "../request.ts";
import type { ObjectRecord } from "../store.ts";
import { type Tags, tagSetXml, tagsOfDocument } from "../tagging.ts";
import { xmlDocument } from "../xml.ts";
import { bucketOf, xmlResponse } from "./shared.ts";

export function getObjectTagging(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const key = keyOfVersioned(request);
    const record =
      Buffer.byteLength(key) > KEY_BYTES_MAX
        ? undefined
        : await s3.store.getObject(s3.store.storage, bucket.name, key);
    if (!record) throw noSuchKey(key);
    return xmlResponse(xmlDocument("Tagging", tagSetXml(record.tags ?? [])));
  };
}

export function putObjectTagging(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const key = keyOfVersioned(request);
    const tags = tagsOfDocument((await readSmallBody(request)).toString("utf8"));
    await retag(s3, bucket.name, key, tags);
    return { status: 200 };
  };
}

export function deleteObjectTagging(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    await retag(s3, bucket.name, keyOfVersioned(request), []);
    return { status: 204 };
  };
}

function keyOfVersioned(request: ServiceRequest): string {
  const versionId = queryValue(request, "versionId");
  if (versionId !== undefined && versionId !== "null") throw invalidVersionId(versionId);
  return request.pathParams.Key ?? "";
}

async function retag(s3: S3Parts, bucket: string, key: string, tags: Tags): Promise<void> {
  if (Buffer.byteLength(key) > KEY_BYTES_MAX) throw noSuchKey(key);
  await s3.store.storage.transaction(async (tx) => {
    await s3.store.requireBucket(tx, bucket);
    const record = await s3.store.getObject(tx, bucket, key);
    if (!record) throw noSuchKey(key);
    const updated: ObjectRecord = { ...record };
    if (tags.length > 0) updated.tags = tags;
    else delete updated.tags;
    await s3.store.putObject(tx, bucket, updated);
  });
}
