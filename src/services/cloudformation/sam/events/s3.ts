/**
 * A function's `S3` event. The bucket must be an AWS::S3::Bucket of the same template: SAM adds a
 * LambdaConfiguration per event type to its NotificationConfiguration, creates the permission
 * `<Fn><Event>Permission` for s3.amazonaws.com, and makes the bucket DependsOn it (S3 checks that it may
 * invoke the function when the notification is put).
 */
import { invalidEvent, invalidResource } from "../errors.ts";
import { type Expansion, passthroughAttributes } from "../expansion.ts";
import { isObject, type JsonObject, ref } from "../json.ts";
import type { FunctionTarget } from "./target.ts";

export function expandS3Event(
  expansion: Expansion,
  target: FunctionTarget,
  eventId: string,
  properties: JsonObject,
): void {
  const { functionId } = target;
  for (const required of ["Bucket", "Events"]) {
    if (properties[required] === undefined) {
      throw invalidResource(`${functionId}${eventId}`, `Missing required property '${required}'.`);
    }
  }
  const bucketRef = properties.Bucket;
  const bucketId = isObject(bucketRef) ? bucketRef.Ref : undefined;
  if (isObject(bucketRef) && "Ref" in bucketRef && typeof bucketId !== "string") {
    throw invalidEvent(functionId, eventId, "'Ref' value in S3 events is not a valid string.");
  }
  const bucket = typeof bucketId === "string" ? expansion.resources[bucketId] : undefined;
  if (typeof bucketId !== "string" || bucket === undefined) {
    throw invalidEvent(functionId, eventId, "S3 events must reference an S3 bucket in the same template.");
  }

  const permissionId = `${functionId}${eventId}Permission`;
  expansion.output[permissionId] = {
    Type: "AWS::Lambda::Permission",
    ...passthroughAttributes(target.resource),
    Properties: {
      Action: "lambda:InvokeFunction",
      FunctionName: target.nameOrArn,
      Principal: "s3.amazonaws.com",
      SourceAccount: ref("AWS::AccountId"),
    },
  };

  const condition = target.resource.Condition;
  if (condition !== undefined) {
    // DependsOn cannot be conditional: SAM makes the dependency through a tag whose value Refs the
    // permission only when the function's condition holds.
    bucket.Properties ??= {};
    if (!isObject(bucket.Properties)) throw invalidResource(bucketId, "Properties should be a map.");
    const tags = bucket.Properties.Tags ?? [];
    if (!Array.isArray(tags)) throw invalidResource(bucketId, "Property 'Tags' should be a list.");
    bucket.Properties.Tags = [
      ...tags,
      {
        Key: `sam:ConditionalDependsOn:${permissionId}`,
        Value: { "Fn::If": [condition, ref(permissionId), "no dependency"] },
      },
    ];
  } else {
    const dependsOn =
      bucket.DependsOn === undefined
        ? []
        : typeof bucket.DependsOn === "string"
          ? [bucket.DependsOn]
          : bucket.DependsOn;
    if (!Array.isArray(dependsOn)) {
      throw invalidResource(
        `${functionId}${eventId}`,
        "Invalid type for field 'DependsOn'. Expected a string or list of strings.",
      );
    }
    if (!dependsOn.includes(permissionId)) bucket.DependsOn = [...dependsOn, permissionId];
  }

  const eventTypes = Array.isArray(properties.Events) ? properties.Events : [properties.Events];
  const base: JsonObject = { Function: target.arn };
  if (properties.Filter !== undefined) base.Filter = properties.Filter;
  bucket.Properties ??= {};
  if (!isObject(bucket.Properties)) throw invalidResource(bucketId, "Properties should be a map.");
  const notification = isObject(bucket.Properties.NotificationConfiguration)
    ? bucket.Properties.NotificationConfiguration
    : {};
  bucket.Properties.NotificationConfiguration = notification;
  const lambdaConfigurations = Array.isArray(notification.LambdaConfigurations)
    ? notification.LambdaConfigurations
    : [];
  notification.LambdaConfigurations = lambdaConfigurations;
  for (const eventType of eventTypes) {
    const configuration = { ...structuredClone(base), Event: eventType };
    lambdaConfigurations.push(
      condition === undefined
        ? configuration
        : { "Fn::If": [condition, configuration, { Ref: "AWS::NoValue" }] },
    );
  }
}
