/**
 * What CreateBucket takes of access settings: `x-amz-object-ownership` (BucketOwnerEnforced unless
 * given) and a canned `x-amz-acl`, which a bucket with ACLs disabled refuses unless it is the owner's
 * (InvalidBucketAclWithObjectOwnership). Checked before the bucket exists, stored just after.
 *
 * ## Gaps
 * - A public canned ACL on a new bucket is stored though Block Public Access starts on (AWS's answer
 *   to that combination was not found); IgnorePublicAcls keeps it without effect until the block is
 *   lifted.
 */
import type { ServiceRequest } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { header } from "../request.ts";
import { cannedGrants, type Grant, isOwnerOnly } from "./acl.ts";
import { aclWithEnforcedOwnership } from "./errors.ts";
import { type ObjectOwnership, OWNERSHIPS, putBucketGrants, putObjectOwnership } from "./settings.ts";

export interface CreateBucketAccess {
  ownership?: ObjectOwnership;
  grants?: Grant[];
}

export function createBucketAccessOf(request: ServiceRequest): CreateBucketAccess {
  // An unknown value is taken as absent: S3's refusal text for it was not found.
  const given = header(request, "x-amz-object-ownership");
  const ownership = given !== undefined && OWNERSHIPS.has(given) ? given : undefined;
  const canned = header(request, "x-amz-acl");
  const grants = canned === undefined ? undefined : cannedGrants(canned);
  if (
    canned !== undefined &&
    !isOwnerOnly(canned) &&
    (ownership ?? "BucketOwnerEnforced") === "BucketOwnerEnforced"
  ) {
    throw aclWithEnforcedOwnership();
  }
  return {
    ...(ownership !== undefined ? { ownership: ownership as ObjectOwnership } : {}),
    ...(grants !== undefined ? { grants } : {}),
  };
}

export async function applyCreateBucketAccess(
  s3: S3Parts,
  bucket: string,
  access: CreateBucketAccess,
): Promise<void> {
  if (access.ownership === undefined && access.grants === undefined) return;
  await s3.store.storage.transaction(async (tx) => {
    if (access.ownership !== undefined) putObjectOwnership(s3, tx, bucket, access.ownership);
    if (access.grants !== undefined) putBucketGrants(s3, tx, bucket, access.grants);
  });
}
