/**
 * Where an object's or a bucket's ACL comes from on writes (`x-amz-acl` on PutObject, CopyObject,
 * CreateBucket, PutBucketAcl, PutObjectAcl, or an AccessControlPolicy body) and the refusals S3 makes
 * first: ACLs other than the owner's on a bucket whose ObjectOwnership is BucketOwnerEnforced
 * (AccessControlListNotSupported), and public ACLs while BlockPublicAcls is on (AccessDenied).
 */
import type { ServiceRequest } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { header } from "../request.ts";
import { cannedGrants, type Grant, isOwnerOnly, isPublicAcl } from "./acl.ts";
import { accessDenied, aclNotSupported } from "./errors.ts";
import { effectivePublicAccessBlock, objectOwnership } from "./settings.ts";

/** The canned ACL of `x-amz-acl`, checked against the bucket's settings; undefined without the header. */
export async function cannedAclOf(
  s3: S3Parts,
  bucket: string,
  request: ServiceRequest,
): Promise<Grant[] | undefined> {
  const name = header(request, "x-amz-acl");
  if (name === undefined) return undefined;
  const grants = cannedGrants(name);
  await checkGrants(s3, bucket, grants, isOwnerOnly(name));
  return grants;
}

/** Refuses grants the bucket's ownership or public access block does not let be set. */
export async function checkGrants(
  s3: S3Parts,
  bucket: string,
  grants: readonly Grant[],
  ownerOnly: boolean,
): Promise<void> {
  const r = s3.store.storage;
  if (!ownerOnly && (await objectOwnership(s3, r, bucket)) === "BucketOwnerEnforced") throw aclNotSupported();
  if (isPublicAcl(grants) && (await effectivePublicAccessBlock(s3, r, bucket)).BlockPublicAcls)
    throw accessDenied();
}

/** `{ acl }` for an object record written with `x-amz-acl` (nothing for private: records leave it out). */
export async function objectAclField(
  s3: S3Parts,
  bucket: string,
  request: ServiceRequest,
): Promise<{ acl?: Grant[] }> {
  const grants = await cannedAclOf(s3, bucket, request);
  return grants && grants.length > 0 ? { acl: grants } : {};
}

/**
 * The fields S2's features add to an object written by PutObject or CopyObject: its ACL
 * (`x-amz-acl`) and its website redirect (`x-amz-website-redirect-location`, served as a 301 by
 * website endpoints and echoed on GET/HEAD).
 */
export async function objectWriteFields(
  s3: S3Parts,
  bucket: string,
  request: ServiceRequest,
): Promise<{ acl?: Grant[]; websiteRedirectLocation?: string }> {
  const redirect = header(request, "x-amz-website-redirect-location");
  return {
    ...(await objectAclField(s3, bucket, request)),
    ...(redirect ? { websiteRedirectLocation: redirect } : {}),
  };
}
