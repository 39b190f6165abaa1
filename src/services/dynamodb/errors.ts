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
