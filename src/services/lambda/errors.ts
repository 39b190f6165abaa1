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
