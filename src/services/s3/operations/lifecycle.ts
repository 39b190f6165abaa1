/**
 * PutBucketLifecycleConfiguration (replaces the bucket's rules), GetBucketLifecycleConfiguration
 * (404 NoSuchLifecycleConfiguration without rules) and DeleteBucketLifecycle (204). The rules are
 * applied by the background sweep (lifecycle/sweeper.ts).
 */
import { AwsError } from "../../../aws/errors.ts";
import type { OperationHandler } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { type LifecycleConfig, lifecycleConfigXml, parseLifecycleConfig } from "../lifecycle/config.ts";
import { readSmallBody } from "../request.ts";
import { xmlDocument } from "../xml.ts";
import { bucketOf, xmlResponse } from "./shared.ts";

/** S3's text for a bucket without lifecycle rules (API reference error list; captured in LocalStack snapshots). */
function noSuchLifecycleConfiguration(bucket: string): AwsError {
  return new AwsError("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", 404, {
    fields: { BucketName: bucket },
  });
}

export function putBucketLifecycleConfiguration(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const config = parseLifecycleConfig((await readSmallBody(request)).toString("utf8"));
    await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      s3.store.putConfig(tx, "lifecycle", bucket.name, config);
    });
    return { status: 200, headers: {} };
  };
}

export function getBucketLifecycleConfiguration(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const config = await s3.store.getConfig<LifecycleConfig>(s3.store.storage, "lifecycle", bucket.name);
    if (!config) throw noSuchLifecycleConfiguration(bucket.name);
    return xmlResponse(xmlDocument("LifecycleConfiguration", lifecycleConfigXml(config)));
  };
}

export function deleteBucketLifecycle(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    await s3.store.storage.transaction(async (tx) => {
      s3.store.deleteConfig(tx, "lifecycle", bucket.name);
    });
    return { status: 204 };
  };
}
