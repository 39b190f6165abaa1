/**
 * A bucket's access settings, each under its own key beside the bucket record (store.ts
 * bucketConfigKey): ACL grants, policy text, public access block, object ownership. Defaults are those
 * of a bucket created since April 2023: Block Public Access all on, ObjectOwnership
 * BucketOwnerEnforced (ACLs disabled) — AWS "Amazon S3 Security Changes Are Coming in April of 2023"
 * and the S3 user guide's "Default settings for new S3 buckets FAQ".
 */
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import type { S3Parts } from "../context.ts";
import type { Grant } from "./acl.ts";

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export type ObjectOwnership = "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter";
export const OWNERSHIPS = new Set<string>(["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"]);

const ALL_BLOCKED: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const NONE_BLOCKED: PublicAccessBlock = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};

const FORMAT = 1;

/** The public access block as stored: absent means the default (all on); `null` means deleted. */
export async function storedPublicAccessBlock(
  s3: S3Parts,
  r: KvReader,
  bucket: string,
): Promise<PublicAccessBlock | null> {
  const stored = await s3.store.getConfig<{ config: PublicAccessBlock | null }>(
    r,
    "public-access-block",
    bucket,
  );
  return stored === undefined ? ALL_BLOCKED : stored.config;
}

/** The block in force: a deleted configuration blocks nothing. */
export async function effectivePublicAccessBlock(
  s3: S3Parts,
  r: KvReader,
  bucket: string,
): Promise<PublicAccessBlock> {
  return (await storedPublicAccessBlock(s3, r, bucket)) ?? NONE_BLOCKED;
}

export function putPublicAccessBlock(
  s3: S3Parts,
  tx: KvTransaction,
  bucket: string,
  config: PublicAccessBlock | null,
): void {
  s3.store.putConfig(tx, "public-access-block", bucket, { v: FORMAT, config });
}

export async function bucketGrants(s3: S3Parts, r: KvReader, bucket: string): Promise<Grant[]> {
  return (await s3.store.getConfig<{ grants: Grant[] }>(r, "acl", bucket))?.grants ?? [];
}

export function putBucketGrants(s3: S3Parts, tx: KvTransaction, bucket: string, grants: Grant[]): void {
  if (grants.length === 0) s3.store.deleteConfig(tx, "acl", bucket);
  else s3.store.putConfig(tx, "acl", bucket, { v: FORMAT, grants });
}

export async function bucketPolicy(s3: S3Parts, r: KvReader, bucket: string): Promise<string | undefined> {
  return (await s3.store.getConfig<{ text: string }>(r, "policy", bucket))?.text;
}

export function putBucketPolicyText(
  s3: S3Parts,
  tx: KvTransaction,
  bucket: string,
  text: string | undefined,
): void {
  if (text === undefined) s3.store.deleteConfig(tx, "policy", bucket);
  else s3.store.putConfig(tx, "policy", bucket, { v: FORMAT, text });
}

/** The ownership as configured: absent means the default (BucketOwnerEnforced); `null` means deleted. */
export async function storedObjectOwnership(
  s3: S3Parts,
  r: KvReader,
  bucket: string,
): Promise<ObjectOwnership | null> {
  const stored = await s3.store.getConfig<{ ownership: ObjectOwnership | null }>(r, "ownership", bucket);
  return stored === undefined ? "BucketOwnerEnforced" : stored.ownership;
}

/**
 * The ownership in force: a bucket whose ownership controls were deleted behaves as buckets did
 * before they existed, ObjectWriter (ACLs apply).
 */
export async function objectOwnership(s3: S3Parts, r: KvReader, bucket: string): Promise<ObjectOwnership> {
  return (await storedObjectOwnership(s3, r, bucket)) ?? "ObjectWriter";
}

export function putObjectOwnership(
  s3: S3Parts,
  tx: KvTransaction,
  bucket: string,
  ownership: ObjectOwnership | null,
): void {
  s3.store.putConfig(tx, "ownership", bucket, { v: FORMAT, ownership });
}
