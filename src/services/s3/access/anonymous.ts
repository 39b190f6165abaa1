/**
 * What an anonymous (unsigned) request may do in S3: read public objects (GetObject, HeadObject) and
 * list public buckets (ListObjects, ListObjectsV2, HeadBucket); a CORS preflight needs no authentication at all.
 * Everything else, and anything not public, is 403 AccessDenied "Access Denied" (what S3 answers an
 * unsigned request to a private resource).
 *
 * Public means: the bucket policy allows the action to everyone (and RestrictPublicBuckets is off),
 * or the ACL grants AllUsers READ (and the bucket's ObjectOwnership lets ACLs count, and
 * IgnorePublicAcls is off). An explicit Deny in the policy wins. A missing key is 404 only to those who
 * may list the bucket; others get 403, as S3 hides which keys exist.
 *
 * A missing bucket is left to the operation: S3 answers NoSuchBucket to anonymous callers too.
 */
import type { ServiceRequest } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { KEY_BYTES_MAX } from "../errors.ts";
import { couldBeBucketName } from "../names.ts";
import type { BucketRecord, ObjectRecord } from "../store.ts";
import { allowsPublicRead } from "./acl.ts";
import { accessDenied } from "./errors.ts";
import { evaluateAnonymous } from "./policy.ts";
import { bucketGrants, bucketPolicy, effectivePublicAccessBlock, objectOwnership } from "./settings.ts";

const OBJECT_READS = new Set(["GetObject", "HeadObject"]);
/** Operations S3 authorises as s3:ListBucket (HeadBucket too, per its API reference). */
const LISTINGS = new Set(["ListObjects", "ListObjectsV2", "HeadBucket"]);

/** Throws AccessDenied unless an anonymous caller may run `operation` on what `request` names. */
export async function checkAnonymous(s3: S3Parts, operation: string, request: ServiceRequest): Promise<void> {
  const name = request.pathParams.Bucket ?? "";
  if (!OBJECT_READS.has(operation) && !LISTINGS.has(operation)) throw accessDenied();
  const bucket = couldBeBucketName(name) ? await s3.store.getBucket(s3.store.storage, name) : undefined;
  if (!bucket) return;
  if (LISTINGS.has(operation)) {
    if (!(await mayList(s3, bucket))) throw accessDenied();
    return;
  }
  const key = request.pathParams.Key ?? "";
  const record =
    Buffer.byteLength(key) > KEY_BYTES_MAX
      ? undefined
      : await s3.store.getObject(s3.store.storage, name, key);
  if (record ? !(await mayReadObject(s3, bucket, record)) : !(await mayList(s3, bucket)))
    throw accessDenied();
}

/** Whether everyone may read this object (GetObject/HeadObject; website endpoints serve only these). */
export async function mayReadObject(
  s3: S3Parts,
  bucket: BucketRecord,
  record: ObjectRecord,
): Promise<boolean> {
  const r = s3.store.storage;
  const block = await effectivePublicAccessBlock(s3, r, bucket.name);
  const policy = await bucketPolicy(s3, r, bucket.name);
  const verdict =
    policy && evaluateAnonymous(policy, "s3:GetObject", `arn:aws:s3:::${bucket.name}/${record.key}`);
  if (verdict === "deny") return false;
  if (verdict === "allow" && !block.RestrictPublicBuckets) return true;
  if (block.IgnorePublicAcls || (await objectOwnership(s3, r, bucket.name)) === "BucketOwnerEnforced")
    return false;
  return allowsPublicRead(record.acl);
}

/** Whether everyone may list the bucket (s3:ListBucket to everyone, or a public-read bucket ACL). */
export async function mayList(s3: S3Parts, bucket: BucketRecord): Promise<boolean> {
  const r = s3.store.storage;
  const block = await effectivePublicAccessBlock(s3, r, bucket.name);
  const policy = await bucketPolicy(s3, r, bucket.name);
  const verdict = policy && evaluateAnonymous(policy, "s3:ListBucket", `arn:aws:s3:::${bucket.name}`);
  if (verdict === "deny") return false;
  if (verdict === "allow" && !block.RestrictPublicBuckets) return true;
  if (block.IgnorePublicAcls || (await objectOwnership(s3, r, bucket.name)) === "BucketOwnerEnforced")
    return false;
  return allowsPublicRead(await bucketGrants(s3, r, bucket.name));
}
