/**
 * AWS::S3::BucketPolicy: PutBucketPolicy with the PolicyDocument as JSON (templates give it as an
 * object, YAML or JSON; a string is taken as the JSON already), again on update, DeleteBucketPolicy on
 * delete (a bucket already gone has no policy left to remove). Ref is the bucket name, the resource's
 * primary identifier; the type has no Fn::GetAtt attributes. A different Bucket replaces it.
 */
import { isAwsError } from "../../../../aws/errors.ts";
import { type Props, text } from "../property-values.ts";
import type { ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";

export const BUCKET_POLICY_TYPE = "AWS::S3::BucketPolicy";

function policyText(document: unknown): string {
  return typeof document === "string" ? document : JSON.stringify(document ?? {});
}

async function putPolicy(context: ProviderContext, properties: Props): Promise<ProvisionedResource> {
  const bucket = text(properties.Bucket) ?? "";
  await context.call.callRaw("s3", "PutBucketPolicy", {
    pathParams: { Bucket: bucket },
    body: policyText(properties.PolicyDocument),
  });
  return { physicalId: bucket, attributes: {} };
}

export const bucketPolicyProvider: ResourceProvider = {
  replaceOn: ["Bucket"],
  create: (context, properties) => putPolicy(context, properties),
  update: (context, _current, properties) => putPolicy(context, properties),
  async delete(context, current) {
    try {
      await context.call.callRaw("s3", "DeleteBucketPolicy", { pathParams: { Bucket: current.physicalId } });
    } catch (error) {
      if (isAwsError(error) && error.code === "NoSuchBucket") return;
      throw error;
    }
  },
};
