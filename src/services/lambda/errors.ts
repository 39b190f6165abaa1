/**
 * Lambda's error catalogue: codes, statuses and texts word for word as Lambda answers them. The body
 * (`{"Type":"User","Message":…}`) is written by the service's error style in src/services/registry.ts.
 *
 * Sources: the Lambda API reference (each operation's Errors section, for codes and statuses); texts
 * recorded from Lambda in LocalStack's snapshot tests (tests/aws/services/lambda_/*.snapshot.json) and
 * its provider, and Lambda errors quoted by CloudFormation/SAM users. Texts marked "unconfirmed" follow
 * the pattern of their neighbours but were not seen in a recording.
 *
 * Add factories here, one per AWS text; never build Lambda error messages inline elsewhere.
 */
import { AwsError } from "../../aws/errors.ts";

export function resourceNotFound(message: string): AwsError {
  return new AwsError("ResourceNotFoundException", message, 404);
}

/** `arn` is the function's ARN, qualified when the request named a version or alias. */
export function functionNotFound(arn: string): AwsError {
  return resourceNotFound(`Function not found: ${arn}`);
}

/** An ARN of another region (LocalStack's api_utils, recorded from Lambda). */
export function otherRegion(arnRegion: string, region: string): AwsError {
  return resourceNotFound(`Functions from '${arnRegion}' are not reachable in this region ('${region}')`);
}

export function functionAlreadyExists(name: string): AwsError {
  return new AwsError("ResourceConflictException", `Function already exist: ${name}`, 409);
}

/** RevisionId of the request no longer matches (UpdateFunctionCode/Configuration). */
export function revisionMismatch(): AwsError {
  return new AwsError(
    "PreconditionFailedException",
    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    412,
  );
}

export function invalidParameterValue(message: string): AwsError {
  return new AwsError("InvalidParameterValueException", message, 400);
}

export function validationException(message: string): AwsError {
  return new AwsError("ValidationException", message, 400);
}

/** Coral's envelope for model constraint failures: "N validation error(s) detected: a; b". */
export function validationErrors(messages: readonly string[]): AwsError {
  const n = messages.length;
  return validationException(`${n} validation error${n === 1 ? "" : "s"} detected: ${messages.join("; ")}`);
}

/** One constraint failure inside the envelope; `value` undefined means null. */
export function constraintText(member: string, value: string | undefined, constraint: string): string {
  return `Value ${value === undefined ? "null" : `'${value}'`} at '${member}' failed to satisfy constraint: ${constraint}`;
}

/** Runtime outside the enum (InvalidParameterValueException, no envelope, value unquoted). */
export function invalidRuntime(runtime: string, known: readonly string[]): AwsError {
  return invalidParameterValue(
    `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${known.join(", ")}] or be a valid ARN`,
  );
}

/** A runtime of the model that Lambda (or Stratus) no longer runs. Unconfirmed for not-yet-supported runtimes. */
export function runtimeNotSupported(runtime: string, suggestion: string): AwsError {
  return invalidParameterValue(
    `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (${suggestion}) while creating or updating functions.`,
  );
}

export function runtimeAndHandlerMandatory(): AwsError {
  return invalidParameterValue(
    "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
  );
}

export function codeSourceMissing(): AwsError {
  return invalidParameterValue("Please provide a source for function code.");
}

export function couldNotUnzip(): AwsError {
  return invalidParameterValue(
    "Could not unzip uploaded file. Please check your file, then try to upload again.",
  );
}

export function unzippedTooLarge(limitBytes: number): AwsError {
  return invalidParameterValue(`Unzipped size must be smaller than ${limitBytes} bytes`);
}

export function qualifierMismatch(): AwsError {
  return invalidParameterValue(
    "The derived qualifier from the function name does not match the specified qualifier.",
  );
}

/** Environment variables named like Lambda's own (Lambda's "Defined runtime environment variables"). */
export function reservedEnvironmentKeys(keys: readonly string[]): AwsError {
  return invalidParameterValue(
    `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${keys.join(", ")}`,
  );
}

/** Environment variables over 4 KB in total (unconfirmed: AWS appends the measured string). */
export function environmentTooLarge(): AwsError {
  return invalidParameterValue(
    "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.",
  );
}

/** Only Zip packages are run; container images would need an image registry. */
export function imageNotSupported(): AwsError {
  return invalidParameterValue(
    "Stratus runs functions from Zip packages only: PackageType Image is not supported.",
  );
}

/** An update while the previous one is still InProgress (LocalStack's provider, recorded from Lambda). */
export function updateInProgress(arn: string): AwsError {
  return new AwsError(
    "ResourceConflictException",
    `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`,
    409,
  );
}

/** An update while the function is still Pending. */
export function functionPending(): AwsError {
  return new AwsError(
    "ResourceConflictException",
    "The operation cannot be performed at this time. The function is currently in the following state: Pending",
    409,
  );
}

export function latestCannotBeDeleted(): AwsError {
  return invalidParameterValue("$LATEST version cannot be deleted without deleting the function.");
}

/** A JSON member of the wrong type (the SDKs never send one; the text is Stratus's). */
export function serializationError(member: string): AwsError {
  return new AwsError("SerializationException", `Unexpected value type for ${member}`, 400);
}

/** Code from S3 needs Stratus's S3, which is not built yet. */
export function s3CodeNotSupported(): AwsError {
  return invalidParameterValue("Stratus does not take function code from S3 yet: use Code.ZipFile.");
}

/** PublishVersion with a CodeSha256 that is not $LATEST's (LocalStack's provider, recorded from Lambda). */
export function codeSha256Mismatch(given: string, current: string): AwsError {
  return invalidParameterValue(
    `CodeSHA256 (${given}) is different from current CodeSHA256 in $LATEST (${current}). Please try again with the CodeSHA256 in $LATEST.`,
  );
}

/** CreateAlias of a name already taken; `aliasArn` is the existing alias's ARN. */
export function aliasAlreadyExists(aliasArn: string): AwsError {
  return new AwsError("ResourceConflictException", `Alias already exists: ${aliasArn}`, 409);
}

/** GetAlias (and, unconfirmed, UpdateAlias/DeleteAlias) of an alias that does not exist. */
export function aliasNotFound(aliasArn: string): AwsError {
  return resourceNotFound(`Cannot find alias arn: ${aliasArn}`);
}

export function routingTooManyVersions(): AwsError {
  return invalidParameterValue("Number of items in AdditionalVersionWeights cannot be greater than 1");
}

export function routingIncludesPrimary(version: string): AwsError {
  return invalidParameterValue(
    `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`,
  );
}

export function routingWithLatest(): AwsError {
  return invalidParameterValue("$LATEST is not supported for an alias pointing to more than 1 version");
}

/** Reserving more than the account can give while keeping its unreserved minimum. */
export function unreservedBelowMinimum(minimum: number): AwsError {
  return invalidParameterValue(
    `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minimum}].`,
  );
}

/** TagResource/UntagResource/ListTags on a version's or an alias's ARN. */
export function taggingQualifiedArn(): AwsError {
  return invalidParameterValue(
    "Tags on function aliases and versions are not supported. Please specify a function ARN.",
  );
}

// ---- Event source mappings (event-sources/). Texts recorded from Lambda in LocalStack's
// test_lambda_integration_dynamodbstreams / test_api snapshots and its provider, unless marked.

/** Get/Update/DeleteEventSourceMapping of a UUID the caller has no mapping with. */
export function eventSourceMappingNotFound(): AwsError {
  return resourceNotFound("The resource you requested does not exist.");
}

/** CreateEventSourceMapping without EventSourceArn. */
export function unrecognizedEventSource(): AwsError {
  return invalidParameterValue("Unrecognized event source.");
}

/** A DynamoDB stream ARN that names no stream of the caller. */
export function eventSourceStreamNotFound(arn: string): AwsError {
  return invalidParameterValue(`Stream not found: ${arn}`);
}

/** The FunctionName of Create/UpdateEventSourceMapping names no function (or version/alias). */
export function mappingFunctionDoesNotExist(): AwsError {
  return invalidParameterValue("Function does not exist");
}

/** A second mapping of the same stream to the same function (the spaces inside the quotes are Lambda's). */
export function eventSourceMappingExists(
  eventSourceArn: string,
  functionName: string,
  uuid: string,
): AwsError {
  return new AwsError(
    "ResourceConflictException",
    `The event source arn (" ${eventSourceArn} ") and function (" ${functionName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${uuid}`,
    409,
  );
}

export function startingPositionRequired(): AwsError {
  return invalidParameterValue(
    "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
  );
}

/** AT_TIMESTAMP for a DynamoDB stream. */
export function startingPositionUnsupported(eventSourceArn: string): AwsError {
  return invalidParameterValue(`Unsupported starting position for arn type: ${eventSourceArn}`);
}

export function timestampOnlyWithAtTimestamp(): AwsError {
  return invalidParameterValue("Timestamp only valid with StartingPosition AT_TIMESTAMP");
}

export function invalidFilterPattern(): AwsError {
  return invalidParameterValue("Invalid filter pattern definition.");
}

/** Quoted from Lambda by terraform-provider-aws (PR 16113). */
export function recordAgeOutOfRange(): AwsError {
  return invalidParameterValue(
    "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)",
  );
}

/** More than the 5 filters a mapping may have (Lambda's quota; the text is Stratus's). */
export function tooManyFilters(limit: number): AwsError {
  return invalidParameterValue(`A mapping can have at most ${limit} filters in FilterCriteria.`);
}

/** Event sources Stratus has no service for (SQS, Kinesis, Kafka, MQ, DocumentDB); the text is Stratus's. */
export function eventSourceNotSupported(source: string): AwsError {
  return invalidParameterValue(
    `Stratus supports event source mappings for DynamoDB streams only: ${source} is not available.`,
  );
}

/** OnFailure/OnSuccess destinations need SQS, SNS or S3, which Stratus does not have yet (Stratus's text). */
export function mappingDestinationNotSupported(): AwsError {
  return invalidParameterValue(
    "Stratus does not run Amazon SQS or Amazon SNS yet: an event source mapping's OnFailure destination must be an Amazon S3 bucket ARN (arn:aws:s3:::bucket).",
  );
}

/** Tumbling windows (aggregation state between invokes) are not implemented (Stratus's text). */
export function tumblingWindowNotSupported(): AwsError {
  return invalidParameterValue(
    "Stratus does not support TumblingWindowInSeconds for event source mappings yet: use 0.",
  );
}

// ---- Layers (engineer C). Texts from LocalStack's provider, whose snapshot tests record them from
// Lambda; "unconfirmed" marks the ones no recording shows. ----

/** GetLayerVersion / GetLayerVersionByArn of a layer version that does not exist. */
export function layerResourceNotFound(): AwsError {
  return resourceNotFound("The resource you requested does not exist.");
}

/** A layer version (permissions) that does not exist; `layerVersionArn` as the request named it. */
export function layerVersionNotFound(layerVersionArn: string): AwsError {
  return resourceNotFound(`Layer version ${layerVersionArn} does not exist.`);
}

/** VersionNumber 0 or negative (GetLayerVersion, DeleteLayerVersion). */
export function layerVersionBelowOne(): AwsError {
  return invalidParameterValue("Layer Version Cannot be less than 1");
}

/** CreateFunction/UpdateFunctionConfiguration naming a layer version that does not exist. */
export function functionLayerNotFound(layerVersionArn: string): AwsError {
  return invalidParameterValue(`Layer version ${layerVersionArn} does not exist.`);
}

export function tooManyLayers(): AwsError {
  return invalidParameterValue("Cannot reference more than 5 layers.");
}

export function layersInOtherRegion(region: string): AwsError {
  return invalidParameterValue(
    `Layers are not in the same region as the function. Layers are expected to be in region ${region}.`,
  );
}

export function sameLayerTwice(first: string, second: string): AwsError {
  return invalidParameterValue(
    `Two different versions of the same layer are not allowed to be referenced in the same function. ${first} and ${second} are versions of the same layer.`,
  );
}

/** Another account's layer: IAM does not exist in Stratus, so no layer policy can grant it. */
export function layerAccessDenied(accountId: string, layerVersionArn: string): AwsError {
  return new AwsError(
    "AccessDeniedException",
    `User: arn:aws:iam::${accountId}:root is not authorized to perform: lambda:GetLayerVersion on resource: ${layerVersionArn} because no resource-based policy allows the lambda:GetLayerVersion action`,
    403,
  );
}

/** AddLayerVersionPermission with a StatementId already in the policy. */
export function layerStatementExists(statementId: string): AwsError {
  return new AwsError(
    "ResourceConflictException",
    `The statement id (${statementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
    409,
  );
}

export function layerStatementNotFound(statementId: string): AwsError {
  return resourceNotFound(`Statement ${statementId} is not found in resource policy.`);
}

export function layerPolicyNotFound(): AwsError {
  return resourceNotFound("No policy is associated with the given resource.");
}

export function layerPolicyRevisionMismatch(): AwsError {
  return new AwsError(
    "PreconditionFailedException",
    "The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id",
    412,
  );
}

/** Layer content from S3 needs Stratus's S3 (not built yet). */
export function s3LayerContentNotSupported(): AwsError {
  return invalidParameterValue("Stratus does not take layer content from S3 yet: use Content.ZipFile.");
}

/** Hot reload (LocalStack's convention): S3Key must be an absolute directory path. */
export function hotReloadPathNotAbsolute(path: string): AwsError {
  return invalidParameterValue(
    `When using hot reloading, the archive key has to be an absolute path! Your archive key: ${path}`,
  );
}

/** Hot reload of a path that is not a directory Stratus can read (Stratus's text). */
export function hotReloadPathNotADirectory(path: string): AwsError {
  return invalidParameterValue(`Hot reloading needs an existing directory: ${path} is not one.`);
}

// Event invoke configs (Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s)): texts recorded from
// Lambda in LocalStack's snapshot tests (test_lambda_api.snapshot.json, TestLambdaEventInvokeConfig).

/** Put/Update/List on a function, version or alias that does not exist. */
export function eventInvokeFunctionMissing(): AwsError {
  return resourceNotFound("The function doesn't exist.");
}

/** Get/Update/Delete without a config; `qualifiedArn` always carries a qualifier ($LATEST when none). */
export function eventInvokeConfigNotFound(qualifiedArn: string): AwsError {
  return resourceNotFound(`The function ${qualifiedArn} doesn't have an EventInvokeConfig`);
}

/** Put/Update with neither retries, event age nor DestinationConfig. */
export function eventInvokeConfigEmpty(): AwsError {
  return invalidParameterValue("You must specify at least one of error handling or destination setting.");
}

/** A Lambda destination that names no function of the caller. */
export function destinationArnInvalid(arn: string): AwsError {
  return invalidParameterValue(`The destination ARN ${arn} is invalid.`);
}

export function destinationIsItself(): AwsError {
  return invalidParameterValue("You can't specify the function as a destination for itself.");
}

/** A destination of a service that cannot take invocation records (`onSuccess`/`onFailure` as AWS renders them). */
export function destinationConfigInvalid(
  onSuccess: string | undefined,
  onFailure: string | undefined,
): AwsError {
  const success = onSuccess === undefined ? "null" : `OnSuccess(destination=${onSuccess})`;
  const failure = onFailure === undefined ? "null" : `OnFailure(destination=${onFailure})`;
  return invalidParameterValue(
    `The provided destination config DestinationConfig(onSuccess=${success}, onFailure=${failure}) is invalid.`,
  );
}

/** An SQS, SNS, EventBridge or S3 destination: valid on AWS, but Stratus does not run that service yet. */
export function destinationServiceNotRun(service: string, arn: string): AwsError {
  return invalidParameterValue(
    `Stratus does not run ${service} yet, so the destination ${arn} cannot receive invocation records; use a Lambda function ARN (or, for OnFailure, an S3 bucket ARN).`,
  );
}

/** PublishLayerVersion with an empty Content (moto's text; unconfirmed against Lambda). */
export function layerContentMissing(): AwsError {
  return invalidParameterValue("Missing Content");
}

// Function URLs (urls/). Texts: LocalStack's provider, whose Function URL tests are validated against
// Lambda, and Lambda's conflict text as quoted by Terraform users (note its two spaces).

/** A Function URL operation on a function (or alias) that does not exist. */
export function urlFunctionNotFound(): AwsError {
  return resourceNotFound("Function does not exist");
}

/** Get/Update/DeleteFunctionUrlConfig when the function (or alias) has no URL. */
export function urlConfigNotFound(): AwsError {
  return resourceNotFound("The resource you requested does not exist.");
}

/** CreateFunctionUrlConfig when the function (or alias) already has a URL; `arn` is the URL's FunctionArn. */
export function urlConfigExists(arn: string): AwsError {
  return new AwsError(
    "ResourceConflictException",
    `Failed to create function url config for [functionArn = ${arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
    409,
  );
}

// Resource-based policies (AddPermission, RemovePermission, GetPolicy): texts from LocalStack's
// provider, whose permission tests are recorded against Lambda; the $LATEST text as quoted by
// Terraform users.

/** AddPermission with Qualifier $LATEST. */
export function policyOnLatestNotSupported(): AwsError {
  return invalidParameterValue("We currently do not support adding policies for $LATEST.");
}

/** AddPermission's Principal is none of a service, an account id, an IAM ARN or "*". */
export function invalidPrincipal(): AwsError {
  return invalidParameterValue(
    "The provided principal was invalid. Please check the principal and try again.",
  );
}

/** AddPermission with a StatementId the policy (of that function, version or alias) already has. */
export function statementIdExists(statementId: string): AwsError {
  return new AwsError(
    "ResourceConflictException",
    `The statement id (${statementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
    409,
  );
}

/** GetPolicy of a function (version, alias) without a policy. */
export function policyNotFound(): AwsError {
  return resourceNotFound("The resource you requested does not exist.");
}

/** RemovePermission on a function that does not exist; `arn` is its unqualified ARN. */
export function noPolicyFoundFor(arn: string): AwsError {
  return resourceNotFound(`No policy found for: ${arn}`);
}

/** RemovePermission on a function (version, alias) without a policy. */
export function noPolicyAssociated(): AwsError {
  return resourceNotFound("No policy is associated with the given resource.");
}

/** RemovePermission of a statement id the policy does not have. */
export function statementNotFound(statementId: string): AwsError {
  return resourceNotFound(`Statement ${statementId} is not found in resource policy.`);
}

// Versions and aliases.

/**
 * DeleteFunction of a version that aliases name (Lambda's text, quoted in user reports: "...: [live]";
 * several aliases as Java prints a list, "[a, b]").
 */
export function versionReferencedByAliases(aliases: readonly string[]): AwsError {
  return new AwsError(
    "ResourceConflictException",
    `Unable to delete version because the following aliases reference it: [${aliases.join(", ")}]`,
    409,
  );
}

/** DeleteFunction with an alias as Qualifier (LocalStack's provider, recorded from Lambda). */
export function aliasDeletionNotSupported(): AwsError {
  return invalidParameterValue("Deletion of aliases is not currently supported.");
}

/** UpdateAlias of an alias that does not exist (LocalStack's AWS-recorded alias tests). */
export function aliasNotFoundForUpdate(aliasArn: string): AwsError {
  return resourceNotFound(`Alias not found: ${aliasArn}`);
}

/** A function's package plus its layers unzip to more than Lambda's quota (Lambda's text as users quote it). */
export function codeWithLayersTooLarge(limitBytes: number, actualBytes: number): AwsError {
  return invalidParameterValue(
    `Function code combined with layers exceeds the maximum allowed size of ${limitBytes} bytes. The actual size is ${actualBytes} bytes.`,
  );
}
