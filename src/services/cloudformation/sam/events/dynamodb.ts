/**
 * A function's `DynamoDB` event: an AWS::Lambda::EventSourceMapping `<Fn><Event>` on the table's stream,
 * and SAM's AWSLambdaDynamoDBExecutionRole managed policy on the generated role (plus the SQS/SNS
 * send policy when DestinationConfig.OnFailure names its Type, as SAM does).
 */
import { isDeepStrictEqual } from "node:util";
import { invalidEvent, invalidResource } from "../errors.ts";
import { compact, type Expansion, passthroughAttributes } from "../expansion.ts";
import { deepClone, isIntrinsic, isObject, type JsonObject } from "../json.ts";
import { managedPolicyArn } from "../policies.ts";
import type { FunctionTarget } from "./target.ts";

/** Event properties copied onto the mapping under the same name. */
const MAPPING_PROPERTIES = [
  "StartingPosition",
  "StartingPositionTimestamp",
  "BatchSize",
  "Enabled",
  "MaximumBatchingWindowInSeconds",
  "MaximumRetryAttempts",
  "BisectBatchOnFunctionError",
  "MaximumRecordAgeInSeconds",
  "ParallelizationFactor",
  "TumblingWindowInSeconds",
  "FunctionResponseTypes",
  "FilterCriteria",
  "KmsKeyArn",
  "MetricsConfig",
  "LoggingConfig",
] as const;

export function expandDynamoDbEvent(
  expansion: Expansion,
  target: FunctionTarget,
  eventId: string,
  properties: JsonObject,
): void {
  const { functionId } = target;
  if (properties.Stream === undefined)
    throw invalidResource(`${functionId}${eventId}`, "Missing required property 'Stream'.");
  if (properties.StartingPosition === undefined) {
    throw invalidResource(`${functionId}${eventId}`, "Missing required property 'StartingPosition'.");
  }
  const filter = properties.FilterCriteria;
  if (isObject(filter) && !isIntrinsic(filter)) {
    const keys = Object.keys(filter);
    if (!(keys.length === 0 || (keys.length === 1 && keys[0] === "Filters"))) {
      throw invalidEvent(functionId, eventId, "FilterCriteria field has a wrong format");
    }
  }
  const mapping: Record<string, unknown> = {
    FunctionName: target.nameOrArn,
    EventSourceArn: properties.Stream,
  };
  for (const name of MAPPING_PROPERTIES) mapping[name] = properties[name];

  let destinationPolicy: JsonObject | undefined;
  if (properties.DestinationConfig !== undefined) {
    const destination = deepClone(properties.DestinationConfig);
    const onFailure = isObject(destination) ? destination.OnFailure : undefined;
    if (!isObject(onFailure))
      throw invalidEvent(
        `${functionId}${eventId}`,
        eventId,
        "Property 'DestinationConfig.OnFailure' should be a map.",
      );
    const type = onFailure.Type;
    if (type !== undefined) {
      delete onFailure.Type;
      destinationPolicy = destinationSendPolicy(
        functionId,
        `${functionId}${eventId}`,
        type,
        onFailure.Destination,
      );
    }
    mapping.DestinationConfig = destination;
  }
  expansion.output[`${functionId}${eventId}`] = {
    Type: "AWS::Lambda::EventSourceMapping",
    ...passthroughAttributes(target.resource),
    Properties: compact(mapping),
  };

  const role = target.role;
  if (role === undefined) return;
  const policyArn = managedPolicyArn("AWSLambdaDynamoDBExecutionRole", expansion.context.partition);
  if (!role.managedPolicyArns.includes(policyArn)) role.managedPolicyArns.push(policyArn);
  if (destinationPolicy !== undefined) {
    // SAM skips a policy whose document the role already has (Python dict equality: key order aside).
    const document = destinationPolicy.PolicyDocument;
    if (!role.policies.some((policy) => isDeepStrictEqual(policy.PolicyDocument, document))) {
      role.policies.push(destinationPolicy);
    }
  }
}

/** SAM's IAMRolePolicies.{sqs_send_message,sns_publish,s3_send_event_payload}_role_policy for the on-failure target. */
function destinationSendPolicy(
  functionId: string,
  mappingId: string,
  type: unknown,
  destination: unknown,
): JsonObject | undefined {
  if (type === "SQS") {
    return {
      PolicyName: `${mappingId}SQSPolicy`,
      PolicyDocument: { Statement: [{ Action: "sqs:SendMessage", Effect: "Allow", Resource: destination }] },
    };
  }
  if (type === "SNS") {
    return {
      PolicyName: `${mappingId}SNSPolicy`,
      PolicyDocument: { Statement: [{ Action: "sns:publish", Effect: "Allow", Resource: destination }] },
    };
  }
  if (type === "S3") {
    return {
      PolicyName: `${mappingId}S3Policy`,
      PolicyDocument: {
        Statement: [
          { Action: "s3:PutObject", Effect: "Allow", Resource: { "Fn::Join": ["/", [destination, "*"]] } },
          { Action: "s3:ListBucket", Effect: "Allow", Resource: destination },
        ],
      },
    };
  }
  if (type === "Kafka") return undefined;
  throw invalidEvent(
    functionId,
    mappingId,
    "The only valid values for 'Type' are 'SQS', 'SNS', 'S3', and 'Kafka'",
  );
}
