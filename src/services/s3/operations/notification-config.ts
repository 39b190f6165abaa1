/**
 * PutBucketNotificationConfiguration (replaces the bucket's configuration; an empty document turns
 * notifications off) and GetBucketNotificationConfiguration (an empty document when none is set).
 *
 * S3 checks every destination when the configuration is written: a function it cannot invoke is
 * InvalidArgument "Unable to validate the following destination configurations", with
 * `<ArgumentName1>arn, null</ArgumentName1><ArgumentValue1>Not authorized to invoke function [arn]`
 * per destination (S3's answer as captured in a public issue thread). Stratus does not enforce
 * permissions, so only a function that does not exist fails.
 *
 * S3 sends an `s3:TestEvent` when a configuration is written; the user guide documents it for SQS
 * and SNS destinations only, so none goes to Lambda here.
 */
import { AwsError } from "../../../aws/errors.ts";
import type { OperationHandler } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import {
  type NotificationConfig,
  notificationConfigXml,
  parseNotificationConfig,
} from "../notifications/config.ts";
import { readSmallBody } from "../request.ts";
import { xmlDocument } from "../xml.ts";
import { bucketOf, xmlResponse } from "./shared.ts";

export function putBucketNotificationConfiguration(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const config = parseNotificationConfig((await readSmallBody(request)).toString("utf8"));
    const missing = await s3.notifier.missingFunctions(config.functions.map((f) => f.functionArn));
    if (missing.length > 0) {
      const fields: Record<string, string> = {};
      missing.forEach((arn, i) => {
        fields[`ArgumentName${i + 1}`] = `${arn}, null`;
        fields[`ArgumentValue${i + 1}`] = `Not authorized to invoke function [${arn}]`;
      });
      throw new AwsError(
        "InvalidArgument",
        "Unable to validate the following destination configurations",
        400,
        {
          fields,
        },
      );
    }
    await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      if (config.functions.length === 0) s3.store.deleteConfig(tx, "notification", bucket.name);
      else s3.store.putConfig(tx, "notification", bucket.name, config);
    });
    return { status: 200, headers: {} };
  };
}

export function getBucketNotificationConfiguration(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const config = await s3.store.getConfig<NotificationConfig>(
      s3.store.storage,
      "notification",
      bucket.name,
    );
    return xmlResponse(xmlDocument("NotificationConfiguration", notificationConfigXml(config)));
  };
}
