/**
 * Telling a service's "it is not there" from a real failure: a provider's delete must succeed when
 * the resource is already gone (a retried delete, a rollback after a partial create), so it swallows
 * exactly these and lets everything else fail the resource.
 */
import { isAwsError } from "../../../../aws/errors.ts";

/** A service's AwsError saying the resource does not exist (Lambda, Logs: ResourceNotFoundException). */
export function isNotFound(error: unknown): boolean {
  return isAwsError(error) && (error.code === "ResourceNotFoundException" || error.status === 404);
}

/** Runs `action`, treating "not found" as done. */
export async function ignoringNotFound(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
