/**
 * The Lambda side of S3 event notifications: a function ARN from a notification configuration is
 * looked up in Lambda's store and invoked through Lambda's durable async queue (InvocationType Event),
 * so retries, maximum event age and destinations apply as on AWS.
 *
 * ## Gaps
 * - A qualified ARN (`...:function:name:alias`) is checked for the function only, not the qualifier;
 *   a qualifier that does not exist fails at delivery (the async queue's own error handling).
 * - The function's resource policy is not consulted (Stratus does not enforce permissions).
 */

import type { LambdaService } from "../../lambda/index.ts";
import type { ServiceDeps } from "../../service.ts";
import type { NotificationTarget } from "./notifier.ts";

/** Notification destinations are full ARNs: arn:aws:lambda:region:account:function:name[:qualifier]. */
const FUNCTION_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;

interface ParsedArn {
  region: string;
  accountId: string;
  name: string;
  qualifier?: string;
}

function parseFunctionArn(arn: string): ParsedArn | undefined {
  const match = FUNCTION_ARN.exec(arn);
  if (!match) return undefined;
  const [, region, accountId, name, qualifier] = match as unknown as [
    string,
    string,
    string,
    string,
    string?,
  ];
  return qualifier === undefined ? { region, accountId, name } : { region, accountId, name, qualifier };
}

export function lambdaNotificationTarget(lambda: LambdaService, deps: ServiceDeps): NotificationTarget {
  return {
    async functionExists(arn) {
      const parsed = parseFunctionArn(arn);
      if (!parsed) return false;
      const record = await lambda.store.get(
        lambda.store.storage,
        parsed.accountId,
        parsed.region,
        parsed.name,
      );
      return record !== undefined;
    },
    async invokeAsync(arn, payload) {
      const parsed = parseFunctionArn(arn);
      if (!parsed) throw new Error(`not a function ARN: ${arn}`);
      await lambda.asyncQueue.accept({
        accountId: parsed.accountId,
        region: parsed.region,
        functionName: parsed.name,
        ...(parsed.qualifier !== undefined ? { qualifier: parsed.qualifier } : {}),
        payload,
        // What the function gets as AWS_ENDPOINT_URL: this Stratus, once it listens.
        endpointUrl: deps.endpoint.url ?? "http://localhost:4566",
      });
    },
  };
}
