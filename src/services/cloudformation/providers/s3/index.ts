/** S3's resource types for CloudFormation stacks, by type name. */
import type { ProviderTable } from "../types.ts";
import { bucketProvider } from "./bucket.ts";
import { BUCKET_TYPE } from "./bucket-config.ts";
import { BUCKET_POLICY_TYPE, bucketPolicyProvider } from "./bucket-policy.ts";

export const s3Providers: ProviderTable = {
  [BUCKET_TYPE]: bucketProvider,
  [BUCKET_POLICY_TYPE]: bucketPolicyProvider,
};
