/**
 * The ResourceStatusReason of a resource that failed, worded as CloudFormation's resource handlers
 * word a service's refusal: `Resource handler returned message: "..." (RequestToken: ...,
 * HandlerErrorCode: ...)`. Template errors (an attribute a resource lacks, a missing export) read as
 * CloudFormation writes them, unwrapped.
 */
import { randomUUID } from "node:crypto";
import { isAwsError } from "../../../aws/errors.ts";

/** A resource type Stratus has no provider for. */
export class UnsupportedResourceType extends Error {
  constructor(type: string) {
    super(`Stratus does not support resource type ${type} yet`);
  }
}

export function failureReason(error: unknown): string {
  if (isAwsError(error)) {
    return `Resource handler returned message: "${error.message}" (RequestToken: ${randomUUID()}, HandlerErrorCode: ${handlerErrorCode(error.code, error.status)})`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The CloudFormation handler error code closest to a service's error. */
function handlerErrorCode(code: string, status: number): string {
  if (/AlreadyExists|Conflict|InUse/i.test(code) || status === 409) return "AlreadyExists";
  if (/NotFound|NoSuch/i.test(code) || status === 404) return "NotFound";
  if (/Throttl|TooManyRequests|LimitExceeded/i.test(code) || status === 429) return "Throttling";
  if (/AccessDenied|Unauthorized/i.test(code) || status === 403) return "AccessDenied";
  if (status >= 400 && status < 500) return "InvalidRequest";
  return "GeneralServiceException";
}
