/**
 * GetBucketPolicy, PutBucketPolicy, DeleteBucketPolicy, GetBucketPolicyStatus; GetPublicAccessBlock,
 * PutPublicAccessBlock, DeletePublicAccessBlock.
 *
 * The policy text is stored and answered verbatim (GetBucketPolicy's body is the JSON itself). A
 * public policy (policy.ts) is refused while BlockPublicPolicy is on, with S3's AccessDenied text.
 * A new bucket has every block on (settings.ts); DeletePublicAccessBlock leaves none, and
 * GetPublicAccessBlock then answers NoSuchPublicAccessBlockConfiguration.
 */
import type { OperationHandler } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { malformedXml } from "../errors.ts";
import { bucketOf, xmlResponse } from "../operations/shared.ts";
import { readSmallBody } from "../request.ts";
import { child, el, parseXml, xmlDocument } from "../xml.ts";
import { noSuchBucketPolicy, noSuchPublicAccessBlock, publicPolicyBlocked } from "./errors.ts";
import { checkPolicy, isPublicPolicy } from "./policy.ts";
import {
  bucketPolicy,
  effectivePublicAccessBlock,
  type PublicAccessBlock,
  putBucketPolicyText,
  putPublicAccessBlock,
  storedPublicAccessBlock,
} from "./settings.ts";

export function getBucketPolicy(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const text = await bucketPolicy(s3, s3.store.storage, bucket.name);
    if (text === undefined) throw noSuchBucketPolicy(bucket.name);
    return { status: 200, headers: { "Content-Type": "application/json" }, body: text };
  };
}

export function putBucketPolicy(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const text = (await readSmallBody(request)).toString("utf8");
    checkPolicy(text, bucket.name);
    if (
      isPublicPolicy(text) &&
      (await effectivePublicAccessBlock(s3, s3.store.storage, bucket.name)).BlockPublicPolicy
    ) {
      throw publicPolicyBlocked(request.context.accountId, bucket.name);
    }
    await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      putBucketPolicyText(s3, tx, bucket.name, text);
    });
    return { status: 204 };
  };
}

export function deleteBucketPolicy(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    await s3.store.storage.transaction(async (tx) => putBucketPolicyText(s3, tx, bucket.name, undefined));
    return { status: 204 };
  };
}

/** IsPublic of the bucket's policy (NoSuchBucketPolicy without one). */
export function getBucketPolicyStatus(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const text = await bucketPolicy(s3, s3.store.storage, bucket.name);
    if (text === undefined) throw noSuchBucketPolicy(bucket.name);
    return xmlResponse(xmlDocument("PolicyStatus", el("IsPublic", isPublicPolicy(text))));
  };
}

const BLOCK_FIELDS = [
  "BlockPublicAcls",
  "IgnorePublicAcls",
  "BlockPublicPolicy",
  "RestrictPublicBuckets",
] as const;

export function getPublicAccessBlock(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const config = await storedPublicAccessBlock(s3, s3.store.storage, bucket.name);
    if (!config) throw noSuchPublicAccessBlock(bucket.name);
    return xmlResponse(
      xmlDocument("PublicAccessBlockConfiguration", BLOCK_FIELDS.map((f) => el(f, config[f])).join("")),
    );
  };
}

/** Fields left out of the document are false, as S3 stores them. */
export function putPublicAccessBlockOperation(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const root = parseXml((await readSmallBody(request)).toString("utf8"));
    if (root.name !== "PublicAccessBlockConfiguration") throw malformedXml();
    const config = {} as PublicAccessBlock;
    for (const field of BLOCK_FIELDS) {
      const value = child(root, field)?.text.trim().toLowerCase();
      if (value !== undefined && value !== "true" && value !== "false") throw malformedXml();
      config[field] = value === "true";
    }
    await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      putPublicAccessBlock(s3, tx, bucket.name, config);
    });
    return { status: 200 };
  };
}

export function deletePublicAccessBlock(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    await s3.store.storage.transaction(async (tx) => putPublicAccessBlock(s3, tx, bucket.name, null));
    return { status: 204 };
  };
}
