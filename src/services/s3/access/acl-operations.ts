/**
 * GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl: canned ACLs (`x-amz-acl`) or an
 * AccessControlPolicy body; answers in S3's AccessControlPolicy document (acl.ts).
 *
 * ## Gaps
 * - `x-amz-grant-*` headers are not taken (the canned header or the body are).
 * - versionId on the object operations: only the current version (`null` or absent) is addressed.
 */
import type { OperationHandler, ServiceRequest } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { invalidVersionId, noSuchKey } from "../errors.ts";
import { bucketOf, keyOf, xmlResponse } from "../operations/shared.ts";
import { discardBody, header, queryValue, readSmallBody } from "../request.ts";
import { parseXml } from "../xml.ts";
import { aclDocument, cannedGrants, type Grant, grantsOfDocument, isOwnerOnly } from "./acl.ts";
import { checkGrants } from "./object-acl.ts";
import { bucketGrants, putBucketGrants } from "./settings.ts";

export function getBucketAcl(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    return xmlResponse(aclDocument(bucket.account, await bucketGrants(s3, s3.store.storage, bucket.name)));
  };
}

export function putBucketAcl(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const grants = await requestedGrants(s3, bucket.name, bucket.account, request);
    await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      putBucketGrants(s3, tx, bucket.name, grants);
    });
    return { status: 200 };
  };
}

export function getObjectAcl(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const key = keyOf(request);
    checkVersion(request);
    const record = await s3.store.getObject(s3.store.storage, bucket.name, key);
    if (!record) throw noSuchKey(key);
    return xmlResponse(aclDocument(record.owner, record.acl));
  };
}

export function putObjectAcl(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const key = keyOf(request);
    checkVersion(request);
    const current = await s3.store.getObject(s3.store.storage, bucket.name, key);
    if (!current) {
      await discardBody(request);
      throw noSuchKey(key);
    }
    const grants = await requestedGrants(s3, bucket.name, current.owner, request);
    await s3.store.storage.transaction(async (tx) => {
      const record = await s3.store.getObject(tx, bucket.name, key);
      if (!record) throw noSuchKey(key);
      const { acl: _old, ...rest } = record;
      s3.store.putLatest(tx, bucket.name, grants.length > 0 ? { ...rest, acl: grants } : rest);
    });
    return { status: 200 };
  };
}

function checkVersion(request: ServiceRequest): void {
  const versionId = queryValue(request, "versionId");
  if (versionId !== undefined && versionId !== "null") throw invalidVersionId(versionId);
}

/** The grants a Put*Acl asks for: the canned header, else the AccessControlPolicy body; checked. */
async function requestedGrants(
  s3: S3Parts,
  bucket: string,
  owner: string,
  request: ServiceRequest,
): Promise<Grant[]> {
  const canned = header(request, "x-amz-acl");
  if (canned !== undefined) {
    await discardBody(request);
    const grants = cannedGrants(canned);
    await checkGrants(s3, bucket, grants, isOwnerOnly(canned));
    return grants;
  }
  const grants = grantsOfDocument(parseXml((await readSmallBody(request)).toString("utf8")), owner);
  await checkGrants(s3, bucket, grants, grants.length === 0);
  return grants;
}
