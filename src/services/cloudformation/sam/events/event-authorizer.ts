/**
 * SAM's check of an Api or HttpApi event's `Auth.Authorizer` against its API's Auth, with the same
 * words for REST and HTTP APIs (SAM's add_auth_to_method in both editors): `NONE` is valid only when
 * the API has a DefaultAuthorizer, and any other name must be one of the API's Authorizers.
 */
import { invalidEvent } from "../errors.ts";
import { isObject, type JsonObject } from "../json.ts";
import type { FunctionTarget } from "./target.ts";

/**
 * Throws SAM's error when `authorizer` cannot be set on the method. `AWS_IAM` needs no entry in the
 * API's Authorizers when `iamBuiltIn` (always for REST APIs; for HTTP APIs when EnableIamAuthorizer).
 */
export function checkEventAuthorizer(
  target: FunctionTarget,
  eventId: string,
  apiAuth: JsonObject | undefined,
  authorizer: string,
  iamBuiltIn: boolean,
  path: string,
  method: string,
): void {
  const authorizers = isObject(apiAuth?.Authorizers) ? apiAuth.Authorizers : undefined;
  if (authorizer === "NONE") {
    if (apiAuth?.DefaultAuthorizer === undefined) {
      throw invalidEvent(
        target.functionId,
        eventId,
        `Unable to set Authorizer on API method [${method}] for path [${path}] because 'NONE' is only a valid value when a DefaultAuthorizer on the API is specified.`,
      );
    }
  } else if (authorizer !== "AWS_IAM" || !iamBuiltIn) {
    if (authorizers === undefined) {
      throw invalidEvent(
        target.functionId,
        eventId,
        `Unable to set Authorizer [${authorizer}] on API method [${method}] for path [${path}] because the related API does not define any Authorizers.`,
      );
    }
    if (authorizers[authorizer] === undefined) {
      throw invalidEvent(
        target.functionId,
        eventId,
        `Unable to set Authorizer [${authorizer}] on API method [${method}] for path [${path}] because it wasn't defined in the API's Authorizers.`,
      );
    }
  }
}
