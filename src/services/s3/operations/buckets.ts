/**
 * Buckets: CreateBucket, HeadBucket, DeleteBucket, ListBuckets, GetBucketLocation.
 *
 * Bucket names are one namespace for all accounts: creating a name another account holds is
 * BucketAlreadyExists, one's own is BucketAlreadyOwnedByYou — except in us-east-1, where S3 answers
 * 200 for legacy compatibility (CreateBucket API reference).
 *
 * ## By design
 * - Unfinished multipart uploads do not stop DeleteBucket: they are aborted with the bucket.
 * - IAM is not enforced (docs/pipeline.md), so any account may use any bucket; ListBuckets lists the
 *   caller's own.
 * ## Gaps
 * - Bucket ACL, object lock, ownership controls and directory-bucket headers of CreateBucket are
 *   not applied.
 */
import type { OperationHandler } from "../../service.ts";
import { applyCreateBucketAccess, createBucketAccessOf } from "../access/bucket-create.ts";
import { insertBucket, removeBucket, US_EAST_1 } from "../bucket-writes.ts";
import { ownerXml, type S3Parts } from "../context.ts";
import {
  illegalLocationConstraint,
  invalidArgument,
  invalidBucketName,
  invalidContinuationToken,
  invalidLocationConstraint,
  malformedXml,
} from "../errors.ts";
import { isRegionName, isValidBucketName } from "../names.ts";
import { discardBody, queryValue, readSmallBody } from "../request.ts";
import type { BucketRecord } from "../store.ts";
import { child, el, isoTime, parseXml, xmlDocument } from "../xml.ts";
import { bucketOf, xmlResponse } from "./shared.ts";

/** ListBuckets' MaxBuckets: 1 to 10,000 (ListBuckets API reference). */
const MAX_BUCKETS_LIMIT = 10_000;

export function createBucket(s3: S3Parts): OperationHandler {
  return async (request) => {
    const name = request.pathParams.Bucket ?? "";
    if (!isValidBucketName(name)) {
      await discardBody(request);
      throw invalidBucketName(name);
    }
    const constraint = locationConstraintOf(await readSmallBody(request));
    const endpointRegion = request.context.region;
    const region = bucketRegion(constraint, endpointRegion);
    const access = createBucketAccessOf(request);
    await insertBucket(s3, {
      name,
      account: request.context.accountId,
      region,
      endpointRegion,
      now: request.context.clock.now().getTime(),
    });
    await applyCreateBucketAccess(s3, name, access);
    return { status: 200, headers: { Location: `/${name}` } };
  };
}

/** The LocationConstraint of a CreateBucketConfiguration body, if any. */
function locationConstraintOf(body: Buffer): string | undefined {
  const text = body.toString("utf8").trim();
  if (text === "") return undefined;
  const root = parseXml(text);
  if (root.name !== "CreateBucketConfiguration") throw malformedXml();
  const value = child(root, "LocationConstraint")?.text.trim();
  return value === "" ? undefined : value;
}

/**
 * Where the bucket goes: us-east-1 without a constraint (only the us-east-1 endpoint may omit it); the
 * constraint otherwise, which other regional endpoints require to be their own region. The us-east-1
 * endpoint creates buckets in any region (CreateBucket API reference: requests to s3.amazonaws.com are
 * signed for us-east-1 "even if the location constraint in the request specifies another Region").
 */
function bucketRegion(constraint: string | undefined, endpointRegion: string): string {
  if (constraint === undefined) {
    if (endpointRegion !== US_EAST_1) throw illegalLocationConstraint(undefined);
    return US_EAST_1;
  }
  if (!isRegionName(constraint) || constraint === US_EAST_1) throw invalidLocationConstraint(constraint);
  const region = constraint === "EU" ? "eu-west-1" : constraint;
  if (endpointRegion !== US_EAST_1 && region !== endpointRegion) throw illegalLocationConstraint(constraint);
  return region;
}

export function headBucket(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    return {
      status: 200,
      headers: { "x-amz-bucket-region": bucket.region, "x-amz-access-point-alias": "false" },
    };
  };
}

export function deleteBucket(s3: S3Parts): OperationHandler {
  return async (request) => {
    const name = request.pathParams.Bucket ?? "";
    await bucketOf(s3, request);
    await removeBucket(s3, name);
    return { status: 204 };
  };
}

export function getBucketLocation(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    // us-east-1 buckets answer an empty LocationConstraint (GetBucketLocation API reference).
    const inner = bucket.region === US_EAST_1 ? "" : bucket.region;
    return xmlResponse(xmlDocument("LocationConstraint", inner));
  };
}

/**
 * ListBuckets, with the newer pagination (max-buckets, continuation-token), prefix and bucket-region
 * filters. Without max-buckets every bucket is listed, as before pagination existed.
 */
export function listBuckets(s3: S3Parts): OperationHandler {
  return async (request) => {
    const account = request.context.accountId;
    const maxText = queryValue(request, "max-buckets");
    const max = maxText === undefined ? undefined : Number(maxText);
    if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= MAX_BUCKETS_LIMIT)) {
      throw invalidArgument(
        "Argument max-buckets must be an integer between 1 and 10000.",
        "max-buckets",
        maxText ?? "",
      );
    }
    const prefix = queryValue(request, "prefix") ?? "";
    const regionFilter = queryValue(request, "bucket-region");
    const tokenText = queryValue(request, "continuation-token");
    const after = tokenText === undefined ? undefined : decodeToken(tokenText);
    let entries = "";
    let count = 0;
    let last: string | undefined;
    let truncated = false;
    for await (const name of s3.store.bucketNames(s3.store.storage, account, after)) {
      if (!name.startsWith(prefix)) continue;
      const bucket = await s3.store.getBucket(s3.store.storage, name);
      if (!bucket || (regionFilter !== undefined && bucket.region !== regionFilter)) continue;
      if (max !== undefined && count === max) {
        truncated = true;
        break;
      }
      entries += bucketXml(bucket);
      count++;
      last = name;
    }
    const inner =
      `${ownerXml(account)}<Buckets>${entries}</Buckets>` +
      (truncated && last !== undefined ? el("ContinuationToken", encodeToken(last)) : "") +
      (queryValue(request, "prefix") !== undefined ? el("Prefix", prefix) : "");
    return xmlResponse(xmlDocument("ListAllMyBucketsResult", inner));
  };
}

function bucketXml(bucket: BucketRecord): string {
  return `<Bucket>${el("Name", bucket.name)}${el("CreationDate", isoTime(bucket.created))}${el("BucketRegion", bucket.region)}</Bucket>`;
}

function encodeToken(name: string): string {
  return Buffer.from(`b:${name}`, "utf8").toString("base64");
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, "base64").toString("utf8");
  // Bucket names are at most 255 characters here (names.ts): a longer token names no position.
  if (!text.startsWith("b:") || text.length > 257) throw invalidContinuationToken(token);
  return text.slice(2);
}
