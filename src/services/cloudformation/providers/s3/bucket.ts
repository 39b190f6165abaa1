/**
 * AWS::S3::Bucket: CreateBucket (canned ACL and object ownership as its headers, a LocationConstraint
 * outside us-east-1), then each configuration property by its own S3 operation (bucket-config.ts);
 * updates set or remove only what changed; DeleteBucket, which S3 refuses for a bucket that still
 * holds objects (BucketNotEmpty, "The bucket you tried to delete is not empty") — CloudFormation
 * deletes only empty buckets too.
 *
 * Ref is the bucket name; Fn::GetAtt: bucket-attributes.ts. A new name replaces the bucket.
 */
import { isAwsError } from "../../../../aws/errors.ts";
import { type Props, text } from "../property-values.ts";
import type { ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";
import { bucketAttributes } from "./bucket-attributes.ts";
import { applyConfiguration, checkConfiguration, updateConfiguration } from "./bucket-config.ts";
import { cannedAcl, createBucketXml, objectOwnership } from "./bucket-xml.ts";

/** S3 bucket names: 3 to 63 lowercase letters, digits, dots and hyphens. */
const BUCKET_NAME_MAX = 63;

function provisioned(context: ProviderContext, bucket: string): ProvisionedResource {
  return { physicalId: bucket, attributes: bucketAttributes(context, bucket) };
}

function isMissing(error: unknown): boolean {
  return isAwsError(error) && (error.code === "NoSuchBucket" || error.status === 404);
}

/**
 * A named bucket that already exists is CloudFormation's "already exists" failure, never adopted: S3
 * itself answers 200 to creating one's own bucket again in us-east-1, and a stack must not take over
 * (and later delete) a bucket it did not create.
 */
async function refuseExisting(context: ProviderContext, bucket: string): Promise<void> {
  try {
    await context.call.callRaw("s3", "HeadBucket", { pathParams: { Bucket: bucket } });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  throw new Error(`${bucket} already exists`);
}

async function createBucket(context: ProviderContext, bucket: string, properties: Props): Promise<void> {
  const headers: Record<string, string> = {};
  const acl = cannedAcl(properties.AccessControl);
  if (acl !== undefined) headers["x-amz-acl"] = acl;
  const ownership = objectOwnership(properties.OwnershipControls);
  if (ownership !== undefined) headers["x-amz-object-ownership"] = ownership;
  const body = createBucketXml(context.region);
  await context.call.callRaw("s3", "CreateBucket", {
    pathParams: { Bucket: bucket },
    headers,
    ...(body !== undefined && { body }),
  });
}

export const bucketProvider: ResourceProvider = {
  replaceOn: ["BucketName", "BucketNamePrefix", "BucketNamespace"],

  async create(context, properties) {
    checkConfiguration(properties);
    const given = text(properties.BucketName);
    const bucket = given ?? context.physicalName({ maxLength: BUCKET_NAME_MAX, lowercase: true });
    await refuseExisting(context, bucket);
    await createBucket(context, bucket, properties);
    try {
      await applyConfiguration(context, bucket, properties);
    } catch (error) {
      // A half-configured bucket is not left behind: the resource failed, so nothing will delete it.
      await context.call.callRaw("s3", "DeleteBucket", { pathParams: { Bucket: bucket } }).catch(() => {});
      throw error;
    }
    return provisioned(context, bucket);
  },

  async update(context, current, properties) {
    checkConfiguration(properties);
    await updateConfiguration(context, current.physicalId, current.properties, properties);
    return provisioned(context, current.physicalId);
  },

  async delete(context, current) {
    try {
      await context.call.callRaw("s3", "DeleteBucket", { pathParams: { Bucket: current.physicalId } });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
  },
};
