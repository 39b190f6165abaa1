/**
 * DynamoDB's error catalogue: codes and texts word for word as DynamoDB answers them (sources: the
 * DynamoDB API reference "Common Errors" and each operation's Errors section; texts recorded by
 * dynalite in mhart/dynalite validations/ and db/). The `__type` namespace of each code is chosen by
 * the service's error style in src/services/registry.ts.
 *
 * Add factories here, one per AWS text; never build DynamoDB error messages inline elsewhere.
 */
import { AwsError } from "../../aws/errors.ts";

export function validationError(message: string): AwsError {
  return new AwsError("ValidationException", message, 400);
}

export function serializationError(message = ""): AwsError {
  return new AwsError("SerializationException", message, 400);
}

/** Item operations on a table that does not exist (DescribeTable has its own text). */
export function resourceNotFound(message = "Requested resource not found"): AwsError {
  return new AwsError("ResourceNotFoundException", message, 400);
}

export function tableNotFound(tableName: string): AwsError {
  return resourceNotFound(`Requested resource not found: Table: ${tableName} not found`);
}

export function resourceInUse(message: string): AwsError {
  return new AwsError("ResourceInUseException", message, 400);
}

export function conditionalCheckFailed(item?: Record<string, unknown>): AwsError {
  return new AwsError("ConditionalCheckFailedException", "The conditional request failed", 400, {
    fields: item ? { Item: item } : {},
  });
}

export function limitExceeded(message: string): AwsError {
  return new AwsError("LimitExceededException", message, 400);
}

// Table operations. Texts recorded from DynamoDB: dynalite's validations and tests (mhart/dynalite),
// the ack-api-quirks ValidationException catalogue (probed in us-east-1 and us-west-2), LocalStack's
// recorded snapshots and ScyllaDB's Alternator tests run against DynamoDB.

/** Coral's envelope for model constraint failures: "N validation error(s) detected: a; b". */
export function validationErrors(messages: readonly string[]): AwsError {
  const n = messages.length;
  return validationError(`${n} validation error${n === 1 ? "" : "s"} detected: ${messages.join("; ")}`);
}

/** One constraint failure inside the envelope; `value` undefined means null. */
export function constraintText(path: string, value: string | undefined, constraint: string): string {
  return `Value ${value === undefined ? "null" : `'${value}'`} at '${path}' failed to satisfy constraint: ${constraint}`;
}

/** "One or more parameter values were invalid: <detail>" — DynamoDB's own (service-level) checks. */
export function invalidParameter(detail: string): AwsError {
  return validationError(`One or more parameter values were invalid: ${detail}`);
}

export function tableAlreadyExists(tableName: string): AwsError {
  return resourceInUse(`Table already exists: ${tableName}`);
}

export function tableBeingCreated(tableName: string): AwsError {
  return resourceInUse(
    `Attempt to change a resource which is still in use: Table is being created: ${tableName}`,
  );
}

export function tableIndexesBusy(): AwsError {
  return resourceInUse(
    "Attempt to change a resource which is still in use: Cannot delete table while indexes are being created, updated, or deleted.",
  );
}

export function deletionProtected(): AwsError {
  return validationError(
    "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
  );
}

export function indexNotFound(indexName: string, tableName: string): AwsError {
  return resourceNotFound(`Requested resource not found: Index ${indexName} for table ${tableName}`);
}

/** Tag operations on a table that does not exist ("ResourcArn" is DynamoDB's spelling). */
export function resourceArnNotFound(arn: string): AwsError {
  return resourceNotFound(`Requested resource not found: ResourcArn: ${arn} not found`);
}

export function onlineIndexLimit(): AwsError {
  return limitExceeded(
    "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
  );
}

export function throughputOutOfBounds(
  value: number,
  member: "ReadCapacityUnits" | "WriteCapacityUnits",
): AwsError {
  return validationError(`Given value ${value} for ${member} is out of bounds`);
}

export function throughputUnchanged(
  target: string,
  current: { read: number; write: number },
  requested: { read: number; write: number },
): AwsError {
  return validationError(
    `The provisioned throughput for the ${target} will not change. The requested value equals the current value. ` +
      `Current ReadCapacityUnits provisioned for the ${target.startsWith("index") ? "index" : "table"}: ${current.read}. Requested ReadCapacityUnits: ${requested.read}. ` +
      `Current WriteCapacityUnits provisioned for the ${target.startsWith("index") ? "index" : "table"}: ${current.write}. Requested WriteCapacityUnits: ${requested.write}. ` +
      "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
  );
}

export function updateTableNothingToDo(): AwsError {
  return validationError(
    "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, " +
      "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, " +
      "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required",
  );
}

export function streamAlreadyEnabled(tableName: string): AwsError {
  return validationError(`Table already has an enabled stream: TableName: ${tableName}`);
}

export function noStreamToDisable(tableName: string): AwsError {
  return validationError(`Table has no stream to disable: TableName: ${tableName}`);
}

export function indexAlreadyExists(): AwsError {
  return validationError("Attempting to create an index which already exists");
}

export function notAGlobalIndex(action: "delete" | "update", indexName: string): AwsError {
  return validationError(`Cannot ${action} an index that is not a GlobalSecondaryIndex: ${indexName}`);
}

export function ttlAlreadyEnabled(): AwsError {
  return validationError("TimeToLive is already enabled");
}

export function ttlAlreadyDisabled(): AwsError {
  return validationError("TimeToLive is already disabled");
}

export function ttlOtherAttribute(current: string): AwsError {
  return validationError(
    `TimeToLive is active on a different AttributeName: current AttributeName is ${current}`,
  );
}

export function invalidTableArn(arn: string): AwsError {
  return validationError(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
}

export function arnMustStartWithArn(arn: string): AwsError {
  return invalidParameter(`ARNs must start with 'arn:': ${arn}`);
}

export function onlyTableOrStreamArn(arn: string): AwsError {
  return invalidParameter(
    `Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}`,
  );
}

export function noTagsGiven(): AwsError {
  return validationError("Atleast one Tag needs to be provided as Input.");
}

export function noTagKeysGiven(): AwsError {
  return validationError("Atleast one Tag Key needs to be provided as Input.");
}

export function tooManyTags(): AwsError {
  return validationError("Number of Tags exceed the current limit for the provided ResourceArn");
}

export function tagKeyAwsPrefix(key: string): AwsError {
  return validationError(`Tag Key cannot be prefixed with aws:, Key: ${key}`);
}

export function duplicateTagKey(key: string): AwsError {
  return validationError(`Duplicate Tag Keys provided as input: Duplicate Tag Key found ${key}`);
}

export function invalidKeySchema(detail: string): AwsError {
  return validationError(`Invalid KeySchema: ${detail}`);
}

export function attributeNameDuplicated(name: string): AwsError {
  return validationError(`Attribute Name is duplicated: ${name}`);
}

export function hashAndRangeSameName(): AwsError {
  return validationError("Both the Hash Key and the Range Key element in the KeySchema have the same name");
}

export function notADynamoDbArn(arn: string): AwsError {
  return invalidParameter(`Provided Arn is not a DynamoDB resource arn: ${arn}`);
}

export function exclusiveUpdate(
  what: "Server-Side Encryption" | "TableClass" | "DeletionProtection",
): AwsError {
  return invalidParameter(`${what} modification must be the only operation in the request`);
}

export function indexThroughputBlocked(): AwsError {
  return validationError(
    "This operation cannot be performed with given input values. Please contact DynamoDB service team for more info: Action Blocked: IndexUpdate",
  );
}
