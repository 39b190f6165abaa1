/**
 * GetBucketTagging, PutBucketTagging, DeleteBucketTagging: the bucket's tag set, kept in its record.
 * A bucket without tags answers NoSuchTagSet, as S3 does.
 *
 * ## Gaps
 * - S3's limit of 50 tags per bucket is not enforced (its refusal text was not found).
 */
import type { OperationHandler } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { noSuchTagSet } from "../errors.ts";
import { readSmallBody } from "../request.ts";
import type { BucketRecord } from "../store.ts";
import { type Tags, tagSetXml, tagsOfDocument } from "../tagging.ts";
import { xmlDocument } from "../xml.ts";
import { bucketOf, xmlResponse } from "./shared.ts";

export function getBucketTagging(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    if (!bucket.tags || bucket.tags.length === 0) throw noSuchTagSet(bucket.name);
    return xmlResponse(xmlDocument("Tagging", tagSetXml(bucket.tags)));
  };
}

export function putBucketTagging(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const tags = tagsOfDocument((await readSmallBody(request)).toString("utf8"), { objectTags: false });
    await retagBucket(s3, bucket.name, tags);
    return { status: 204 };
  };
}

export function deleteBucketTagging(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    await retagBucket(s3, bucket.name, []);
    return { status: 204 };
  };
}

async function retagBucket(s3: S3Parts, name: string, tags: Tags): Promise<void> {
  await s3.store.storage.transaction(async (tx) => {
    const bucket = await s3.store.requireBucket(tx, name);
    const updated: BucketRecord = { ...bucket };
    if (tags.length > 0) updated.tags = tags;
    else delete updated.tags;
    s3.store.putBucket(tx, updated);
  });
}
