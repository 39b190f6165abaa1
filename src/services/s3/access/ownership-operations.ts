/**
 * GetBucketOwnershipControls, PutBucketOwnershipControls, DeleteBucketOwnershipControls: the bucket's
 * ObjectOwnership (settings.ts). A new bucket answers BucketOwnerEnforced; after a delete, Get is
 * OwnershipControlsNotFoundError (moto's and other emulators' tables of S3's text) and ACLs apply as
 * they did before ownership controls existed.
 */
import type { OperationHandler } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { malformedXml } from "../errors.ts";
import { bucketOf, xmlResponse } from "../operations/shared.ts";
import { readSmallBody } from "../request.ts";
import { child, el, parseXml, xmlDocument } from "../xml.ts";
import { noSuchOwnershipControls } from "./errors.ts";
import { type ObjectOwnership, OWNERSHIPS, putObjectOwnership, storedObjectOwnership } from "./settings.ts";

export function getBucketOwnershipControls(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const ownership = await storedObjectOwnership(s3, s3.store.storage, bucket.name);
    if (ownership === null) throw noSuchOwnershipControls(bucket.name);
    return xmlResponse(xmlDocument("OwnershipControls", `<Rule>${el("ObjectOwnership", ownership)}</Rule>`));
  };
}

/** One Rule with an ObjectOwnership of the three values, else MalformedXML. */
export function putBucketOwnershipControls(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const root = parseXml((await readSmallBody(request)).toString("utf8"));
    const rules = root.children.filter((c) => c.name === "Rule");
    const value =
      rules.length === 1 && rules[0] ? child(rules[0], "ObjectOwnership")?.text.trim() : undefined;
    if (root.name !== "OwnershipControls" || value === undefined || !OWNERSHIPS.has(value))
      throw malformedXml();
    await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      putObjectOwnership(s3, tx, bucket.name, value as ObjectOwnership);
    });
    return { status: 200 };
  };
}

export function deleteBucketOwnershipControls(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    await s3.store.storage.transaction(async (tx) => putObjectOwnership(s3, tx, bucket.name, null));
    return { status: 204 };
  };
}
