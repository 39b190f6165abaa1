/**
 * What Fn::GetAtt reads of an AWS::S3::Bucket, in the formats the CloudFormation resource reference
 * documents: Arn `arn:aws:s3:::name`, DomainName `name.s3.amazonaws.com`, RegionalDomainName
 * `name.s3.region.amazonaws.com`, DualStackDomainName `name.s3.dualstack.region.amazonaws.com`,
 * WebsiteURL `http://name.s3-website.region.amazonaws.com` — or `s3-website-region` in the Regions
 * whose website endpoints still use a dash (S3 website endpoints table, AWS General Reference).
 * These are AWS's names, not Stratus's address: templates use them to build ARNs and origins.
 */
import type { ProviderContext } from "../types.ts";

/** Regions whose website endpoint is `s3-website-{region}` rather than `s3-website.{region}`. */
const DASH_WEBSITE_REGIONS = new Set([
  "us-east-1",
  "us-west-1",
  "us-west-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "eu-west-1",
  "sa-east-1",
  "us-gov-west-1",
]);

function dnsSuffix(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

export function bucketAttributes(context: ProviderContext, bucket: string): Record<string, string> {
  const region = context.region;
  const suffix = dnsSuffix(region);
  const website = DASH_WEBSITE_REGIONS.has(region) ? `s3-website-${region}` : `s3-website.${region}`;
  return {
    Arn: `arn:${context.partition}:s3:::${bucket}`,
    DomainName: `${bucket}.s3.${suffix}`,
    RegionalDomainName: `${bucket}.s3.${region}.${suffix}`,
    DualStackDomainName: `${bucket}.s3.dualstack.${region}.${suffix}`,
    WebsiteURL: `http://${bucket}.${website}.${suffix}`,
  };
}
