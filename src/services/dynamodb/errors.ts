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

// ---- Query and Scan (operations/reads/) ---------------------------------------------------------
// Sources: dynalite's recorded tests (mhart/dynalite test/query.js, test/scan.js) and validations
// (validations/query.js, scan.js, actions/query.js, scan.js); moto's AWS-verified Select tests
// (tests/test_dynamodb, `@pytest.mark.aws_verified`); nubo-db/dynamodb-conformance tier3
// error-messages (captured 2026). Where regions disagree (the 2026 validation-framework rollout),
// the texts of the majority ("old cohort", us-east-1 among them) are used.

/** Query's Select texts carry coral's envelope; Scan's are bare (moto, AWS-verified; conformance). */
function selectError(message: string, query: boolean): AwsError {
  return validationError(query ? `1 validation error detected: ${message}` : message);
}

export function selectWithProjection(
  parameter: "ProjectionExpression" | "AttributesToGet",
  select: string,
  query: boolean,
): AwsError {
  const what = select === "COUNT" ? "only the Count" : select;
  return selectError(`Cannot specify the ${parameter} when choosing to get ${what}`, query);
}

export function selectSpecificWithoutProjection(query: boolean): AwsError {
  return selectError(
    "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
    query,
  );
}

/** "Querying" even for Scan (conformance: "AWS keeps the word Querying ... even on a Scan"). */
export function selectAllProjectedWithoutIndex(query: boolean): AwsError {
  return selectError("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName", query);
}

export function selectAllAttributesOnGsi(indexName: string): AwsError {
  return invalidParameter(
    `Select type ALL_ATTRIBUTES is not supported for global secondary index ${indexName} because its projection type is not ALL`,
  );
}

export function keyConditionsRequired(): AwsError {
  return validationError(
    "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
  );
}

export function unknownIndex(indexName: string): AwsError {
  return validationError(`The table does not have the specified index: ${indexName}`);
}

export function consistentReadOnGsi(): AwsError {
  return validationError("Consistent reads are not supported on global secondary indexes");
}

/** Quoted from DynamoDB in public reports (e.g. "...: RoomIdIndex"); Stratus shows it while a backfill runs. */
export function backfillingIndex(indexName: string): AwsError {
  return validationError(`Cannot read from backfilling global secondary index: ${indexName}`);
}

/** "The provided starting key is invalid", alone or followed by ": <reason>". */
export function invalidStartKey(reason?: string): AwsError {
  return validationError(
    reason === undefined
      ? "The provided starting key is invalid"
      : `The provided starting key is invalid: ${reason}`,
  );
}

export const keyElementMismatch = "The provided key element does not match the schema";

export function startKeyOutsideQuery(): AwsError {
  return validationError(
    "The provided starting key is outside query boundaries based on provided conditions",
  );
}

export function startKeyOutsideRange(): AwsError {
  return validationError("The provided starting key does not match the range key predicate");
}

export function startKeyCannotRestart(): AwsError {
  return validationError("The query can return at most one row and cannot be restarted");
}

export function startKeyWrongSegment(totalSegments: number, segment: number): AwsError {
  return invalidStartKey(
    "Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. " +
      `TotalSegments: ${totalSegments} Segment: ${segment}`,
  );
}

export function totalSegmentsRequired(): AwsError {
  return validationError(
    "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
  );
}

export function segmentRequired(): AwsError {
  return validationError(
    "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
  );
}

export function segmentOutOfRange(segment: number, totalSegments: number): AwsError {
  return validationError(
    "The Segment parameter is zero-based and must be less than parameter TotalSegments: " +
      `Segment: ${segment} is not less than TotalSegments: ${totalSegments}`,
  );
}

export function filterOnKeyAttribute(parameter: "QueryFilter" | "Filter Expression", name: string): AwsError {
  return validationError(
    `${parameter} can only contain non-primary key attributes: Primary key attribute: ${name}`,
  );
}

export function nestedKeyPath(kind: "Key" | "IndexKey", name: string): AwsError {
  return validationError(
    `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ${kind}: ${name}`,
  );
}

// PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction). Sources: the DynamoDB
// developer guide's PartiQL reference (DuplicateItemException), nubo-db/dynamodb-conformance and
// floci's captures from DynamoDB (eu-west-2, 2026). The statement-level texts are in
// operations/partiql/texts.ts.

/** A PartiQL syntax error: "Statement wasn't well formed, can't be processed: <detail>". */
export function statementNotWellFormed(detail: string): AwsError {
  return validationError(`Statement wasn't well formed, can't be processed: ${detail}`);
}

/** PartiQL INSERT of a key that already exists. */
export function duplicateItem(): AwsError {
  return new AwsError("DuplicateItemException", "Duplicate primary key exists in table", 400);
}

/** One entry of TransactionCanceledException's CancellationReasons. */
export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Record<string, unknown>;
}

/**
 * A transaction that did not run, with one reason per request member in request order ("None" for
 * members that would have succeeded).
 */
export function transactionCanceled(reasons: readonly CancellationReason[]): AwsError {
  const codes = reasons.map((reason) => reason.Code).join(", ");
  return new AwsError(
    "TransactionCanceledException",
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    400,
    { fields: { CancellationReasons: reasons } },
  );
}

/** A ClientRequestToken reused with a different request within the idempotency window. */
export function idempotentParameterMismatch(): AwsError {
  return new AwsError(
    "IdempotentParameterMismatchException",
    "Request parameters do not match with those of the original request with the same client token",
    400,
  );
}

// ---- Batches and transactions (operations/batch/) -----------------------------------------------
// Sources: dynalite validations/batchGetItem.js and actions/batchWriteItem.js (recorded against
// DynamoDB); nubo-db/dynamodb-conformance tier1/tier3 batch and transaction tests (captured on DynamoDB
// in four regions, 2026); LocalStack's AWS-validated snapshots; probes of dynamodb-local 3.3.1 (a
// DynamoDB build) where DynamoDB itself was not captured, named per factory.

/** The same key twice in one table's list (BatchGetItem, BatchWriteItem; conformance, dynalite). */
export function duplicateBatchKeys(): AwsError {
  return validationError("Provided list of item keys contains duplicates");
}

/** More than 100 keys over all tables of one BatchGetItem (dynalite validations/batchGetItem.js). */
export function batchGetTooManyKeys(): AwsError {
  return validationError("Too many items requested for the BatchGetItem call");
}

/** More than 25 requests over all tables of one BatchWriteItem (dynamodb-local 3.3.1 probe). */
export function batchWriteTooManyRequests(): AwsError {
  return validationError("Too many items requested for the BatchWriteItem call");
}

/**
 * A WriteRequest with neither (or both) of PutRequest and DeleteRequest: DynamoDB reuses the attribute
 * value text (dynalite validations/batchWriteItem.js; dynamodb-local 3.3.1 probe for "both").
 */
export function writeRequestNotOneOf(): AwsError {
  return validationError(
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
  );
}

/** A TransactWriteItem with none or several of ConditionCheck/Put/Update/Delete (moto's text). */
export function transactItemNotOneOf(): AwsError {
  return validationError("TransactItems can only contain one of Check, Put, Update or Delete");
}

/** Two members of one transaction on the same item (conformance tier3, exact). */
export function transactionMultipleOperations(): AwsError {
  return validationError("Transaction request cannot include multiple operations on one item");
}

/**
 * The items of one transaction above 4 MB in all (API reference: "The aggregate size of the items in
 * the transaction cannot exceed 4 MB"). DynamoDB answers a ValidationException (conformance
 * tier3/limits/transactionLimits); its text was not captured, so this one is Stratus's.
 */
export function transactionTooLarge(bytes: number, bytesMax: number): AwsError {
  return validationError(
    `Transaction request size has exceeded the maximum allowed size: size: ${bytes}, maximum: ${bytesMax}`,
  );
}

// ---- Item operations and the key/item rules (operations/items/, item-rules.ts) -----------------
// Sources: dynalite's validations and recorded tests (mhart/dynalite validations/putItem.js,
// db/index.js validateKey/validateItem/validateUpdates/checkKeySize, test/putItem.js, updateItem.js,
// getItem.js); nubo-db/dynamodb-conformance captures on DynamoDB, 2026 (tests/tier3/error-messages,
// tests/tier3/limits: empty key values, index keys, nesting, item size by surface); ExtendDB's
// us-east-1 parity tests (DeleteItem ReturnValues).

/** "The provided key element does not match the schema" as an error (the text is `keyElementMismatch`). */
export function keyMismatch(): AwsError {
  return validationError("The provided key element does not match the schema");
}

/** PutItem and DeleteItem accept only ALL_OLD and NONE. */
export function returnValuesPutDelete(): AwsError {
  return validationError("ReturnValues can only be ALL_OLD or NONE");
}

export function itemTooLarge(): AwsError {
  return validationError("Item size has exceeded the maximum allowed size");
}

export function updatedItemTooLarge(): AwsError {
  return validationError("Item size to update has exceeded the maximum allowed size");
}

export function missingKeyInItem(name: string): AwsError {
  return invalidParameter(`Missing the key ${name} in the item`);
}

export function keyTypeMismatch(name: string, expected: string, actual: string): AwsError {
  return invalidParameter(`Type mismatch for key ${name} expected: ${expected} actual: ${actual}`);
}

export function indexKeyTypeMismatch(
  name: string,
  expected: string,
  actual: string,
  index: string,
): AwsError {
  return invalidParameter(
    `Type mismatch for Index Key ${name} Expected: ${expected} Actual: ${actual} IndexName: ${index}`,
  );
}

/** "are not valid." (not "were invalid:"): DynamoDB's own words for empty key values (conformance 2026). */
export function emptyKeyValue(kind: "string" | "binary", name: string): AwsError {
  return validationError(
    `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${name}`,
  );
}

export function emptyIndexKeyValue(kind: "string" | "binary", index: string, name: string): AwsError {
  return validationError(
    "One or more parameter values are not valid. A value specified for a secondary index key is not supported. " +
      `The AttributeValue for a key attribute cannot contain an empty ${kind} value. IndexName: ${index}, IndexKey: ${name}`,
  );
}

export function emptyUpdatedIndexKey(kind: "string" | "binary"): AwsError {
  return validationError(
    "One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. " +
      `The AttributeValue for a key attribute cannot contain an empty ${kind} value.`,
  );
}

/** No space in "of2048": DynamoDB's. */
export function hashKeyTooLong(): AwsError {
  return invalidParameter("Size of hashkey has exceeded the maximum size limit of2048 bytes");
}

export function rangeKeyTooLong(): AwsError {
  return invalidParameter("Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
}

export function keyAttributeUpdated(name: string): AwsError {
  return invalidParameter(`Cannot update attribute ${name}. This attribute is part of the key`);
}

export function updatedIndexKeyType(): AwsError {
  return validationError(
    "The update expression attempted to update the secondary index key to unsupported type",
  );
}

export function updatedIndexKeyTooLong(): AwsError {
  return validationError(
    "The update expression attempted to update the secondary index key beyond allowed size limits",
  );
}

/** Documents deeper than 32 levels (conformance tests/tier3/limits, 2026). */
export const nestingTooDeep =
  "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

export function nestingLimit(): AwsError {
  return validationError(nestingTooDeep);
}

export function emptyAttributeName(): AwsError {
  return validationError("Empty attribute name");
}
