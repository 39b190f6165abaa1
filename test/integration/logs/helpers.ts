/** Shared helpers of the CloudWatch Logs integration tests. */
import assert from "node:assert/strict";

interface SdkError extends Error {
  $metadata: { httpStatusCode?: number };
}

export async function rejects(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  let error: SdkError | undefined;
  try {
    await promise;
  } catch (caught) {
    error = caught as SdkError;
  }
  assert.ok(error, `expected ${name}`);
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  assert.equal(error.message, message);
  assert.equal(error.$metadata.httpStatusCode, 400);
}

let counter = 0;
export function uniqueName(prefix = "/test/group"): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}
