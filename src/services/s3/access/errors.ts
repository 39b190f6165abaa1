/**
 * The errors of S3's access settings (ACLs, bucket policy, public access block, ownership), CORS and
 * website configuration, in S3's words. Sources: recordings quoted in public issue threads and
 * emulator tables (moto, LocalStack's AWS-validated snapshots, versitygw), named per text.
 */
import { AwsError } from "../../../aws/errors.ts";

/** What S3 answers a caller without permission (also an anonymous one): no detail. */
export function accessDenied(): AwsError {
  return new AwsError("AccessDenied", "Access Denied", 403);
}

/** Captured in Terraform/CLI outputs quoted in public repositories (2023–2025). */
export function publicPolicyBlocked(account: string, bucket: string): AwsError {
  return new AwsError(
    "AccessDenied",
    `User: arn:aws:iam::${account}:root is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
    403,
  );
}

/** Setting an ACL on a bucket whose ObjectOwnership is BucketOwnerEnforced (ACLs disabled). */
export function aclNotSupported(): AwsError {
  return new AwsError("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);
}

/** CreateBucket with a non-private canned ACL and ObjectOwnership BucketOwnerEnforced (the default). */
export function aclWithEnforcedOwnership(): AwsError {
  return new AwsError(
    "InvalidBucketAclWithObjectOwnership",
    "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    400,
  );
}

/** An `x-amz-acl` value that is not a canned ACL: InvalidArgument naming the header (S3's text not found: none given). */
export function invalidCannedAcl(value: string): AwsError {
  return new AwsError("InvalidArgument", "", 400, {
    fields: { ArgumentName: "x-amz-acl", ArgumentValue: value },
  });
}

export function malformedAclError(): AwsError {
  return new AwsError(
    "MalformedACLError",
    "The XML you provided was not well-formed or did not validate against our published schema",
    400,
  );
}

export function noSuchBucketPolicy(bucket: string): AwsError {
  return new AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", 404, {
    fields: { BucketName: bucket },
  });
}

/** versitygw's and moto's tables of S3's MalformedPolicy texts. */
export function malformedPolicy(message: string): AwsError {
  return new AwsError("MalformedPolicy", message, 400);
}

export const POLICY_NOT_JSON = "Policies must be valid JSON and the first byte must be '{'";
export const POLICY_BAD_VERSION = "The policy must contain a valid version string";
export const POLICY_NO_STATEMENT = "Missing required field Statement";
export const POLICY_NO_PRINCIPAL = "Missing required field Principal";
export const POLICY_BAD_PRINCIPAL = "Invalid principal in policy";
export const POLICY_BAD_ACTION = "Policy has invalid action";
export const POLICY_BAD_RESOURCE = "Policy has invalid resource";

export function noSuchPublicAccessBlock(bucket: string): AwsError {
  return new AwsError(
    "NoSuchPublicAccessBlockConfiguration",
    "The public access block configuration was not found",
    404,
    { fields: { BucketName: bucket } },
  );
}

export function noSuchOwnershipControls(bucket: string): AwsError {
  return new AwsError("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", 404, {
    fields: { BucketName: bucket },
  });
}

export function noSuchCorsConfiguration(bucket: string): AwsError {
  return new AwsError("NoSuchCORSConfiguration", "The CORS configuration does not exist", 404, {
    fields: { BucketName: bucket },
  });
}

/** LocalStack's validated snapshot (test_put_cors_invalid_rules). */
export function corsUnsupportedMethod(method: string): AwsError {
  return new AwsError(
    "InvalidRequest",
    `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`,
    400,
  );
}

/** versitygw#1870, captured from S3. */
export function corsTooManyWildcards(origin: string): AwsError {
  return new AwsError(
    "InvalidRequest",
    `AllowedOrigin "${origin}" can not have more than one wildcard.`,
    400,
  );
}

export const CORS_NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
export const CORS_NOT_ENABLED = "CORSResponse: CORS is not enabled for this bucket.";
export const CORS_NO_BUCKET = "CORSResponse: Bucket not found";

/** A refused preflight (LocalStack's validated snapshots): Method and ResourceType follow the message. */
export function corsForbidden(message: string, method: string, resourceType: "BUCKET" | "OBJECT"): AwsError {
  return new AwsError("AccessForbidden", message, 403, {
    fields: { Method: method, ResourceType: resourceType },
  });
}

export function preflightBadRequest(message: string): AwsError {
  return new AwsError("BadRequest", message, 400);
}

export function noSuchWebsiteConfiguration(bucket: string): AwsError {
  return new AwsError(
    "NoSuchWebsiteConfiguration",
    "The specified bucket does not have a website configuration",
    404,
    {
      fields: { BucketName: bucket },
    },
  );
}

/** PutBucketWebsite without IndexDocument or RedirectAllRequestsTo (moto's table). */
export function websiteInvalidArgument(message: string): AwsError {
  return new AwsError("InvalidArgument", message, 400);
}
