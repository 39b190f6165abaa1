/** GetBucketWebsite, PutBucketWebsite, DeleteBucketWebsite (the endpoint itself: data-plane.ts). */
import type { OperationHandler } from "../../service.ts";
import { noSuchWebsiteConfiguration } from "../access/errors.ts";
import type { S3Parts } from "../context.ts";
import { bucketOf, xmlResponse } from "../operations/shared.ts";
import { readSmallBody } from "../request.ts";
import { parseXml } from "../xml.ts";
import {
  bucketWebsite,
  parseWebsiteConfiguration,
  putBucketWebsiteConfig,
  websiteConfigurationXml,
} from "./config.ts";

export function getBucketWebsite(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const config = await bucketWebsite(s3, s3.store.storage, bucket.name);
    if (!config) throw noSuchWebsiteConfiguration(bucket.name);
    return xmlResponse(websiteConfigurationXml(config));
  };
}

export function putBucketWebsite(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const config = parseWebsiteConfiguration(parseXml((await readSmallBody(request)).toString("utf8")));
    await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      putBucketWebsiteConfig(s3, tx, bucket.name, config);
    });
    return { status: 200 };
  };
}

export function deleteBucketWebsite(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    await s3.store.storage.transaction(async (tx) => putBucketWebsiteConfig(s3, tx, bucket.name, undefined));
    return { status: 204 };
  };
}
