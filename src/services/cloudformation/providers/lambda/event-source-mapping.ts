/**
 * AWS::Lambda::EventSourceMapping for the sources Stratus has (DynamoDB streams): CreateEventSourceMapping,
 * complete once the mapping leaves Creating. Ref and Fn::GetAtt Id are the mapping's UUID; Fn::GetAtt
 * EventSourceMappingArn its ARN.
 *
 * EventSourceArn, StartingPosition and StartingPositionTimestamp replace the mapping (create-only in the
 * resource's schema); everything else is UpdateEventSourceMapping in place, sending the whole desired
 * configuration so that a property removed from the template returns to Lambda's default (enabled,
 * batch of 100, no batching window, unlimited retries and record age, no bisect, one batch per shard,
 * no response types, no filters, no on-failure destination, no tumbling window).
 *
 * Other sources (SQS, Kinesis, Kafka, MQ, DocumentDB) fail with Lambda's own error, since Stratus's
 * Lambda does not poll them; their properties (Queues, Topics, SourceAccessConfigurations, ...) are
 * not passed on.
 */

import {
  booleanValue,
  defined,
  integerValue,
  objectValue,
  type Properties,
  requireProperties,
  stringList,
  stringValue,
} from "../property-values.ts";
import type { ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";
import { pollUntil } from "./function-ready.ts";
import { ignoringNotFound } from "./service-errors.ts";

/** Lambda's values for settings a mapping is given without (DynamoDB streams). */
const DEFAULTS = {
  Enabled: true,
  BatchSize: 100,
  MaximumBatchingWindowInSeconds: 0,
  MaximumRetryAttempts: -1,
  MaximumRecordAgeInSeconds: -1,
  BisectBatchOnFunctionError: false,
  ParallelizationFactor: 1,
  FunctionResponseTypes: [],
  FilterCriteria: {},
  DestinationConfig: {},
  TumblingWindowInSeconds: 0,
};

/** The settings both Create and Update take, as the template gives them. */
function settings(context: ProviderContext, properties: Properties) {
  return defined({
    FunctionName: stringValue(context, properties.FunctionName, "FunctionName"),
    Enabled: booleanValue(context, properties.Enabled, "Enabled"),
    BatchSize: integerValue(context, properties.BatchSize, "BatchSize"),
    MaximumBatchingWindowInSeconds: integerValue(
      context,
      properties.MaximumBatchingWindowInSeconds,
      "MaximumBatchingWindowInSeconds",
    ),
    MaximumRetryAttempts: integerValue(context, properties.MaximumRetryAttempts, "MaximumRetryAttempts"),
    MaximumRecordAgeInSeconds: integerValue(
      context,
      properties.MaximumRecordAgeInSeconds,
      "MaximumRecordAgeInSeconds",
    ),
    BisectBatchOnFunctionError: booleanValue(
      context,
      properties.BisectBatchOnFunctionError,
      "BisectBatchOnFunctionError",
    ),
    ParallelizationFactor: integerValue(context, properties.ParallelizationFactor, "ParallelizationFactor"),
    FunctionResponseTypes: stringList(context, properties.FunctionResponseTypes, "FunctionResponseTypes"),
    FilterCriteria: objectValue(context, properties.FilterCriteria, "FilterCriteria"),
    DestinationConfig: objectValue(context, properties.DestinationConfig, "DestinationConfig"),
    TumblingWindowInSeconds: integerValue(
      context,
      properties.TumblingWindowInSeconds,
      "TumblingWindowInSeconds",
    ),
  });
}

/** Waits for the mapping to settle (Enabled or Disabled), as CloudFormation does before completing. */
async function settled(context: ProviderContext, uuid: string): Promise<ProvisionedResource> {
  const answer = await pollUntil(async () => {
    const mapping = await context.call.call("lambda", "GetEventSourceMapping", { UUID: uuid });
    return mapping.State === "Enabled" || mapping.State === "Disabled" ? mapping : undefined;
  }, `Event source mapping ${uuid} did not become Enabled or Disabled in time`);
  return {
    physicalId: uuid,
    attributes: { Id: uuid, EventSourceMappingArn: answer.EventSourceMappingArn },
  };
}

export const eventSourceMappingProvider: ResourceProvider = {
  replaceOn: ["EventSourceArn", "StartingPosition", "StartingPositionTimestamp", "SelfManagedEventSource"],
  async create(context, properties) {
    requireProperties(context, properties, ["FunctionName"]);
    const answer = await context.call.call(
      "lambda",
      "CreateEventSourceMapping",
      defined({
        EventSourceArn: stringValue(context, properties.EventSourceArn, "EventSourceArn"),
        StartingPosition: stringValue(context, properties.StartingPosition, "StartingPosition"),
        StartingPositionTimestamp: properties.StartingPositionTimestamp,
        ...settings(context, properties),
      }),
    );
    const uuid = String(answer.UUID);
    try {
      return await settled(context, uuid);
    } catch (error) {
      await ignoringNotFound(() => context.call.call("lambda", "DeleteEventSourceMapping", { UUID: uuid }));
      throw error;
    }
  },
  async update(context, current, properties) {
    requireProperties(context, properties, ["FunctionName"]);
    await context.call.call("lambda", "UpdateEventSourceMapping", {
      UUID: current.physicalId,
      ...DEFAULTS,
      ...settings(context, properties),
    });
    return settled(context, current.physicalId);
  },
  async delete(context, current) {
    await ignoringNotFound(() =>
      context.call.call("lambda", "DeleteEventSourceMapping", { UUID: current.physicalId }),
    );
  },
};
