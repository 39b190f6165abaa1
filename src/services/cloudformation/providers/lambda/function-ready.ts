/**
 * Waiting where CloudFormation waits for a Lambda function: a function resource is complete only when
 * GetFunction shows State Active and LastUpdateStatus Successful, and each update call must wait for
 * the one before it (Lambda refuses an update while one is InProgress). Bounded: a function that stays
 * Pending or InProgress fails the resource instead of hanging the stack.
 */
import type { ProviderContext } from "../types.ts";

/** How long a function may stay Pending or InProgress before the resource fails. */
const READY_TIMEOUT_MS = 120_000;
const POLL_INTERVAL_MS = 50;

interface FunctionState {
  State?: string;
  StateReason?: string;
  LastUpdateStatus?: string;
  LastUpdateStatusReason?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it answers a value (not undefined), or fails with `timeoutMessage`. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  timeoutMessage: string,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(timeoutMessage);
    await sleep(POLL_INTERVAL_MS);
  }
}

/** Waits until the function (name or ARN, optionally qualified) is Active with no update running. */
export async function waitForFunctionReady(
  context: ProviderContext,
  functionName: string,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<Record<string, unknown>> {
  return pollUntil(
    async () => {
      const answer = await context.call.call("lambda", "GetFunction", { FunctionName: functionName });
      const configuration = (answer.Configuration ?? {}) as FunctionState & Record<string, unknown>;
      if (configuration.State === "Failed") {
        throw new Error(
          `Function ${functionName} failed to become active: ${configuration.StateReason ?? ""}`,
        );
      }
      if (configuration.LastUpdateStatus === "Failed") {
        throw new Error(
          `Function ${functionName} update failed: ${configuration.LastUpdateStatusReason ?? ""}`,
        );
      }
      const ready =
        configuration.State === "Active" &&
        (configuration.LastUpdateStatus === undefined || configuration.LastUpdateStatus === "Successful");
      return ready ? configuration : undefined;
    },
    `Function ${functionName} did not become active and ready within ${timeoutMs / 1000} seconds`,
    timeoutMs,
  );
}
