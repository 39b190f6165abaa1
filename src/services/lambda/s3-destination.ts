/**
 * Failure records written to an Amazon S3 bucket destination, for asynchronous invocations (OnFailure
 * only) and stream event source mappings.
 *
 * Object keys, as the Lambda Developer Guide gives them ("Capturing records of Lambda asynchronous
 * invocations"; "Retain discarded batch records for a DynamoDB event source"):
 *   async:  aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID>
 *   stream: aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID>
 * The date parts are UTC. The object is the record's JSON, written as the destination's account owner
 * (the function's or mapping's account).
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../../log.ts";
import type { S3Api } from "../s3/api.ts";

const BUCKET_ARN = /^arn:aws[a-zA-Z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;

/** The bucket an `arn:aws:s3:::bucket` destination names, or undefined for anything else. */
export function parseBucketArn(arn: string): string | undefined {
  return BUCKET_ARN.exec(arn)?.[1];
}

/** `<prefix>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>` for a record written at `now`. */
export function failureObjectKey(prefix: string, now: Date): string {
  const iso = now.toISOString();
  const [year, month, day] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const time = iso.slice(11, 19).replaceAll(":", ".");
  return `${prefix}/${year}/${month}/${day}/${year}-${month}-${day}T${time}-${randomUUID()}`;
}

/**
 * Writes `record` as JSON to `bucket`. Failures (no such bucket, S3 absent) are logged and the record
 * dropped: on AWS an undeliverable record only counts in DestinationDeliveryFailures.
 */
export async function writeFailureRecord(
  s3: S3Api | undefined,
  logger: Logger,
  target: { account: string; bucket: string; key: string },
  record: unknown,
): Promise<void> {
  if (s3 === undefined) {
    logger.warn(`lambda: cannot write a failure record to s3://${target.bucket}: S3 is not running`);
    return;
  }
  try {
    await s3.put({
      account: target.account,
      bucket: target.bucket,
      key: target.key,
      body: Buffer.from(JSON.stringify(record)),
      contentType: "application/json",
    });
  } catch (error) {
    logger.warn(
      `lambda: failure record not delivered to s3://${target.bucket}/${target.key}: ${String(error)}`,
    );
  }
}
