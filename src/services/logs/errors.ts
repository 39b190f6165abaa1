/**
 * CloudWatch Logs' error catalogue: codes and texts as the service answers them. All are 400s with
 * the awsJson1_1 `__type` of the code.
 *
 * Sources: the CloudWatch Logs API reference (each operation's Errors section); the texts below are
 * the ones seen in SDK and CLI output quoted in public issue threads and reproduced by moto's and
 * LocalStack's tests. Texts marked "not confirmed" are Stratus's best reading and were not seen
 * coming from AWS itself.
 *
 * Add factories here, one per AWS text; never build error messages inline elsewhere.
 */
import { AwsError } from "../../aws/errors.ts";

export function invalidParameter(message: string): AwsError {
  return new AwsError("InvalidParameterException", message, 400);
}

export function resourceNotFound(message: string): AwsError {
  return new AwsError("ResourceNotFoundException", message, 400);
}

export function logGroupNotFound(): AwsError {
  return resourceNotFound("The specified log group does not exist.");
}

export function logStreamNotFound(): AwsError {
  return resourceNotFound("The specified log stream does not exist.");
}

export function logGroupExists(): AwsError {
  return new AwsError("ResourceAlreadyExistsException", "The specified log group already exists", 400);
}

export function logStreamExists(): AwsError {
  return new AwsError("ResourceAlreadyExistsException", "The specified log stream already exists", 400);
}

/** CloudWatch Logs answers model constraint failures as InvalidParameterException, coral's wording. */
export function constraintsFailed(coralMessage: string): AwsError {
  return invalidParameter(coralMessage);
}

export function eventsOutOfOrder(): AwsError {
  return invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
}

/** Not confirmed. */
export function batchSpansTooLong(): AwsError {
  return invalidParameter(
    "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.",
  );
}

/** As quoted from CloudWatch agent and Fluent Bit issue threads ("Upload too large: N bytes exceeds limit of 1048576"). */
export function uploadTooLarge(bytes: number, limitBytes: number): AwsError {
  return invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${limitBytes}`);
}

export function orderByLastEventTimeWithPrefix(): AwsError {
  return invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
}

/** Not confirmed. */
export function invalidNextToken(): AwsError {
  return invalidParameter("The specified nextToken is invalid.");
}

/** Not confirmed. */
export function streamNamesAndPrefix(): AwsError {
  return invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive");
}

/** Not confirmed: the text of one of the two members missing. */
export function groupNameOrIdentifier(): AwsError {
  return invalidParameter("Should provide either logGroupName or logGroupIdentifier.");
}

/** Not confirmed: a filter pattern Stratus cannot parse (or does not support). */
export function invalidFilterPattern(pattern: string): AwsError {
  return invalidParameter(`Invalid filter pattern: ${pattern}`);
}

/** Coral's enum text for retentionInDays, which the model types as a plain integer. */
export function invalidRetention(days: number, allowed: readonly number[]): AwsError {
  return invalidParameter(
    `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(", ")}]`,
  );
}
