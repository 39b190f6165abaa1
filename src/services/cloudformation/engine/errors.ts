/**
 * CloudFormation's errors, with AWS's codes, HTTP statuses (from the service model) and texts, so that
 * the SDKs, the CLI (`aws cloudformation deploy` reads some of these texts) and SAM react as they do
 * against AWS.
 */
import { AwsError } from "../../../aws/errors.ts";

/** Most refusals: a 400 `ValidationError` with a sentence. */
export function validationError(message: string): AwsError {
  return new AwsError("ValidationError", message, 400);
}

export function stackDoesNotExist(nameOrId: string): AwsError {
  return validationError(`Stack with id ${nameOrId} does not exist`);
}

/** CreateChangeSet/ListChangeSets and others word a missing stack with brackets. */
export function stackMissing(nameOrId: string): AwsError {
  return validationError(`Stack [${nameOrId}] does not exist`);
}

export function stackAlreadyExists(name: string): AwsError {
  return new AwsError("AlreadyExistsException", `Stack [${name}] already exists`, 400);
}

export function cannotBeUpdated(stackId: string, status: string): AwsError {
  return validationError(`Stack:${stackId} is in ${status} state and can not be updated.`);
}

export function noUpdates(): AwsError {
  return validationError("No updates are to be performed.");
}

export function insufficientCapabilities(required: readonly string[]): AwsError {
  return new AwsError(
    "InsufficientCapabilitiesException",
    `Requires capabilities : [${required.join(", ")}]`,
    400,
  );
}

export function changeSetNotFound(nameOrId: string): AwsError {
  return new AwsError("ChangeSetNotFound", `ChangeSet [${nameOrId}] does not exist`, 404);
}

export function changeSetAlreadyExists(name: string): AwsError {
  return new AwsError("AlreadyExistsException", `ChangeSet [${name}] already exists`, 400);
}

export function invalidChangeSetStatus(message: string): AwsError {
  return new AwsError("InvalidChangeSetStatus", message, 400);
}

export function tokenAlreadyExists(message: string): AwsError {
  return new AwsError("TokenAlreadyExistsException", message, 400);
}

/** The StatusReason of a change set that changes nothing (`aws cloudformation deploy` matches it). */
export const NO_CHANGES_REASON =
  "The submitted information didn't contain changes. Submit different information to create a change set.";
