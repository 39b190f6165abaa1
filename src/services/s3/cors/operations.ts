/**
 * PutBucketCors, GetBucketCors, DeleteBucketCors, and the preflight `OPTIONS` S3 answers from the
 * rules (an operation the AWS model does not have: the edge routes it here through the S3 service's
 * `unmodelledOperation`, and it needs no authentication).
 *
 * Preflight answers (LocalStack's AWS-validated snapshots, ceph s3-tests): no Origin → 400
 * BadRequest; no such bucket → 403 AccessForbidden "CORSResponse: Bucket not found"; no rules → 403
 * "…CORS is not enabled for this bucket." (both with ResourceType BUCKET and Method the requested one,
 * or OPTIONS); a missing or unknown Access-Control-Request-Method → 400; no rule matching → 403
 * "…This CORS request is not allowed…" (ResourceType OBJECT for a key); a match → 200, empty body.
 */
import type { OperationHandler } from "../../service.ts";
import {
  CORS_NO_BUCKET,
  CORS_NOT_ALLOWED,
  CORS_NOT_ENABLED,
  corsForbidden,
  noSuchCorsConfiguration,
  preflightBadRequest,
} from "../access/errors.ts";
import type { S3Parts } from "../context.ts";
import { couldBeBucketName } from "../names.ts";
import { bucketOf, xmlResponse } from "../operations/shared.ts";
import { header, readSmallBody } from "../request.ts";
import { parseXml } from "../xml.ts";
import {
  corsConfigurationXml,
  corsHeaders,
  matchRule,
  parseCorsConfiguration,
  requestedHeaders,
} from "./rules.ts";
import { bucketCorsRules, putBucketCorsRules } from "./store.ts";

/** The name the S3 service gives the preflight among its operations. */
export const PREFLIGHT_OPERATION = "PreflightRequest";

const PREFLIGHT_METHODS = new Set(["GET", "PUT", "HEAD", "POST", "DELETE"]);

export function putBucketCors(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const rules = parseCorsConfiguration(parseXml((await readSmallBody(request)).toString("utf8")));
    await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      putBucketCorsRules(s3, tx, bucket.name, rules);
    });
    return { status: 200 };
  };
}

export function getBucketCors(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const rules = await bucketCorsRules(s3, s3.store.storage, bucket.name);
    if (!rules) throw noSuchCorsConfiguration(bucket.name);
    return xmlResponse(corsConfigurationXml(rules));
  };
}

/** 204 whether or not there was a configuration (LocalStack's test_delete_cors). */
export function deleteBucketCors(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    await s3.store.storage.transaction(async (tx) => putBucketCorsRules(s3, tx, bucket.name, undefined));
    return { status: 204 };
  };
}

export function preflight(s3: S3Parts): OperationHandler {
  return async (request) => {
    const origin = header(request, "origin");
    if (!origin) throw preflightBadRequest("Insufficient information. Origin request header needed.");
    const method = header(request, "access-control-request-method");
    const name = request.pathParams.Bucket ?? "";
    const bucket = couldBeBucketName(name) ? await s3.store.getBucket(s3.store.storage, name) : undefined;
    if (!bucket) throw corsForbidden(CORS_NO_BUCKET, method ?? "OPTIONS", "BUCKET");
    const rules = await bucketCorsRules(s3, s3.store.storage, bucket.name);
    if (!rules) throw corsForbidden(CORS_NOT_ENABLED, method ?? "OPTIONS", "BUCKET");
    if (method === undefined || !PREFLIGHT_METHODS.has(method)) {
      throw preflightBadRequest(`Invalid Access-Control-Request-Method: ${method ?? "null"}`);
    }
    const requested = requestedHeaders(header(request, "access-control-request-headers"));
    const rule = matchRule(rules, origin, method, requested);
    if (!rule) throw corsForbidden(CORS_NOT_ALLOWED, method, request.pathParams.Key ? "OBJECT" : "BUCKET");
    return { status: 200, headers: corsHeaders(rule, origin, requested) };
  };
}

/**
 * The CORS headers for an actual request to `bucket` carrying an Origin: the rule matching the
 * origin and the method (Access-Control-Request-Method when sent, as S3 takes it) — none without a
 * match, a configuration or an Origin.
 */
export async function actualRequestCorsHeaders(
  s3: S3Parts,
  bucket: string,
  origin: string,
  method: string,
): Promise<Record<string, string> | undefined> {
  if (!couldBeBucketName(bucket)) return undefined;
  const rules = await bucketCorsRules(s3, s3.store.storage, bucket);
  const rule = rules && matchRule(rules, origin, method);
  return rule && corsHeaders(rule, origin);
}
