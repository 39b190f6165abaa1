/**
 * S3's access and sharing features as the service sees them: their operations (ACLs, bucket policy,
 * public access block, CORS, website configuration, the CORS preflight), the operations among them
 * that read a body, and the wrapper every S3 operation runs in — which refuses anonymous callers what
 * is not public (access/anonymous.ts) and adds the bucket's CORS headers to answers to requests that
 * carry an Origin, successful or not (S3 sends them with errors too: ceph s3-tests, LocalStack).
 */
import { AwsError } from "../../aws/errors.ts";
import type { OperationHandler } from "../service.ts";
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from "./access/acl-operations.ts";
import { checkAnonymous } from "./access/anonymous.ts";
import {
  deleteBucketOwnershipControls,
  getBucketOwnershipControls,
  putBucketOwnershipControls,
} from "./access/ownership-operations.ts";
import {
  deleteBucketPolicy,
  deletePublicAccessBlock,
  getBucketPolicy,
  getBucketPolicyStatus,
  getPublicAccessBlock,
  putBucketPolicy,
  putPublicAccessBlockOperation,
} from "./access/policy-operations.ts";
import type { S3Parts } from "./context.ts";
import {
  actualRequestCorsHeaders,
  deleteBucketCors,
  getBucketCors,
  PREFLIGHT_OPERATION,
  preflight,
  putBucketCors,
} from "./cors/operations.ts";
import { header } from "./request.ts";
import { deleteBucketWebsite, getBucketWebsite, putBucketWebsite } from "./website/operations.ts";

export { PREFLIGHT_OPERATION } from "./cors/operations.ts";

/** Sharing operations that read their request body themselves. */
export const SHARING_READS_BODY = [
  "PutBucketAcl",
  "PutObjectAcl",
  "PutBucketPolicy",
  "PutPublicAccessBlock",
  "PutBucketCors",
  "PutBucketWebsite",
  "PutBucketOwnershipControls",
];

export function sharingOperations(s3: S3Parts): Record<string, OperationHandler> {
  return {
    GetBucketAcl: getBucketAcl(s3),
    PutBucketAcl: putBucketAcl(s3),
    GetObjectAcl: getObjectAcl(s3),
    PutObjectAcl: putObjectAcl(s3),
    GetBucketPolicy: getBucketPolicy(s3),
    PutBucketPolicy: putBucketPolicy(s3),
    DeleteBucketPolicy: deleteBucketPolicy(s3),
    GetBucketPolicyStatus: getBucketPolicyStatus(s3),
    GetPublicAccessBlock: getPublicAccessBlock(s3),
    PutPublicAccessBlock: putPublicAccessBlockOperation(s3),
    DeletePublicAccessBlock: deletePublicAccessBlock(s3),
    GetBucketOwnershipControls: getBucketOwnershipControls(s3),
    PutBucketOwnershipControls: putBucketOwnershipControls(s3),
    DeleteBucketOwnershipControls: deleteBucketOwnershipControls(s3),
    GetBucketCors: getBucketCors(s3),
    PutBucketCors: putBucketCors(s3),
    DeleteBucketCors: deleteBucketCors(s3),
    GetBucketWebsite: getBucketWebsite(s3),
    PutBucketWebsite: putBucketWebsite(s3),
    DeleteBucketWebsite: deleteBucketWebsite(s3),
    [PREFLIGHT_OPERATION]: preflight(s3),
  };
}

/** Runs `handler` with the anonymous-access check before it and the CORS headers after it. */
export function withSharing(s3: S3Parts, name: string, handler: OperationHandler): OperationHandler {
  if (name === PREFLIGHT_OPERATION) return handler;
  return async (request) => {
    const origin = header(request, "origin");
    try {
      if (request.context.accessKeyId === undefined) await checkAnonymous(s3, name, request);
      const response = await handler(request);
      const headers = await corsHeaders(s3, request, origin);
      return headers ? { ...response, headers: { ...response.headers, ...headers } } : response;
    } catch (error) {
      const headers =
        error instanceof AwsError ? await corsHeaders(s3, request, origin).catch(() => undefined) : undefined;
      if (!headers || !(error instanceof AwsError)) throw error;
      throw new AwsError(error.code, error.message, error.status, {
        fields: { ...error.fields },
        headers: { ...error.headers, ...headers },
        fault: error.fault,
      });
    }
  };
}

/**
 * The CORS headers of an actual request from `origin`; undefined without one. A module function, not
 * a closure per request: tsx compiles with esbuild's keepNames, which wraps every named closure in a
 * `__name()` call each time it is created (~5 µs per GET in a profile of 1 KB GETs).
 */
async function corsHeaders(
  s3: S3Parts,
  request: Parameters<OperationHandler>[0],
  origin: string | undefined,
): Promise<Record<string, string> | undefined> {
  if (!origin) return undefined;
  return actualRequestCorsHeaders(
    s3,
    request.pathParams.Bucket ?? "",
    origin,
    header(request, "access-control-request-method") ?? request.method,
  );
}

/**
 * The edge's hook for requests the S3 model has no operation for: `OPTIONS` on any path is a CORS
 * preflight (S3 answers it without authentication, before any signature check).
 */
export function s3UnmodelledOperation(request: {
  method: string;
  segments: readonly string[];
}): { operation: string; pathParams: Record<string, string> } | undefined {
  if (request.method !== "OPTIONS") return undefined;
  const [bucket = "", ...rest] = request.segments;
  const key = rest.join("/");
  return {
    operation: PREFLIGHT_OPERATION,
    pathParams: { Bucket: bucket, ...(key !== "" ? { Key: key } : {}) },
  };
}
