/**
 * One attempt at an asynchronous invocation, as Lambda makes it ("How Lambda handles errors and retries
 * with asynchronous invocation", AWS Lambda Developer Guide):
 *
 * - The event invoke config of the qualifier the event was sent to (config-store.ts) is read at every
 *   attempt; without one, MaximumRetryAttempts is 2 and MaximumEventAgeInSeconds 21600.
 * - A function error (X-Amz-Function-Error: handler errors, timeouts, crashes) is retried up to
 *   MaximumRetryAttempts times, the first retry `retryBaseMs` later (AWS: one minute), the second
 *   twice that (AWS: two minutes). Every attempt keeps the event's request id, as on AWS (the records
 *   Lambda sends after three attempts carry the request id the function saw).
 * - A throttle (TooManyRequestsException) or a function still Pending is tried again after 1 s,
 *   doubling up to 5 minutes, until the event is too old; throttled attempts do not count as invokes.
 * - An event older than MaximumEventAgeInSeconds, at an attempt or when its next attempt would come
 *   too late, is discarded with condition EventAgeExceeded.
 * - A function with reserved concurrency 0 gets no attempts: the event goes to the on-failure
 *   destination at once (the guide's note on reserved concurrency 0; the condition is unconfirmed).
 * - Success → the OnSuccess destination; retries exhausted or too old → OnFailure. The record
 *   (record.ts) is the payload of an asynchronous invocation of the destination function, queued in
 *   the same transaction that finishes this event; or, for an S3 bucket (OnFailure only), an object
 *   under aws/lambda/async/<function-name>/ written before the event is finished (a crash between the
 *   two may write it twice, never lose it).
 * - A function (or version, or alias) that no longer exists: the event is dropped, with a warning.
 */
import type { AwsError } from "../../../aws/errors.ts";
import {
  type AsyncAttemptResponse,
  type AsyncEvent,
  type AsyncOutcome,
  type AsyncProcessor,
  newAsyncEvent,
} from "../invoke/async-queue.ts";
import type { InProcessResult } from "../invoke/invoker.ts";
import type { LambdaParts } from "../parts.ts";
import { failureObjectKey, parseBucketArn, writeFailureRecord } from "../s3-destination.ts";
import { LATEST } from "../store.ts";
import {
  DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
  DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
  type EventInvokeConfigRecord,
  getEventInvokeConfig,
} from "./config-store.ts";
import { parseFunctionDestination } from "./destinations.ts";
import { invocationRecord, type RecordCondition } from "./record.ts";

/** AWS waits a minute before the first retry after a function error, two before the second. */
export const DEFAULT_RETRY_BASE_MS = 60_000;
/** Throttled events: the first wait, doubling up to the most (AWS: 1 second to 5 minutes). */
export const THROTTLE_BASE_MS = 1_000;
export const THROTTLE_MAX_MS = 300_000;

export interface AsyncProcessorOptions {
  /** The wait before the first retry after a function error; the n-th retry waits n times this. */
  retryBaseMs: number;
}

export function asyncProcessor(parts: LambdaParts, options: AsyncProcessorOptions): AsyncProcessor {
  const { store, invoker, logger } = parts;
  const nowMs = () => store.clock.now().getTime();

  /** The event is finished: its record goes to the destination of `condition`, if one is set. */
  const finish = async (
    event: AsyncEvent,
    condition: RecordCondition,
    response: AsyncAttemptResponse | undefined,
    config: EventInvokeConfigRecord | undefined,
  ): Promise<AsyncOutcome> => {
    const destination = condition === "Success" ? config?.onSuccess : config?.onFailure;
    if (condition !== "Success") {
      logger.debug(
        `lambda ${event.functionName} async invocation ${event.requestId} discarded (${condition}, ${event.invokeCount} attempt(s))`,
      );
    }
    if (destination === undefined) return { kind: "done" };
    const bucket = parseBucketArn(destination);
    if (bucket !== undefined) {
      const now = store.clock.now();
      await writeFailureRecord(
        parts.s3,
        logger,
        {
          account: event.accountId,
          bucket,
          key: failureObjectKey(`aws/lambda/async/${event.functionName}`, now),
        },
        invocationRecord(event, condition, response, now),
      );
      return { kind: "done" };
    }
    const target = parseFunctionDestination(destination);
    if (target === undefined) {
      logger.warn(`lambda async invocation ${event.requestId}: cannot deliver a record to ${destination}`);
      return { kind: "done" };
    }
    const record = invocationRecord(event, condition, response, store.clock.now());
    const followUp = newAsyncEvent(
      {
        accountId: target.accountId,
        region: target.region,
        functionName: target.name,
        ...(target.qualifier !== undefined ? { qualifier: target.qualifier } : {}),
        payload: Buffer.from(JSON.stringify(record)),
        endpointUrl: event.endpointUrl,
      },
      nowMs(),
    );
    return { kind: "done", followUps: [followUp] };
  };

  return async (event) => {
    const config = await getEventInvokeConfig(
      store.storage,
      event.accountId,
      event.region,
      event.functionName,
      event.qualifier ?? LATEST,
    );
    const maxRetries = config?.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
    const maxAgeMs = (config?.maximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
    const tooOld = (atMs: number) => atMs - event.acceptedAtMs > maxAgeMs;
    if (tooOld(nowMs())) return finish(event, "EventAgeExceeded", event.lastResponse, config);

    const throttled = async (): Promise<AsyncOutcome> => {
      const throttles = (event.throttles ?? 0) + 1;
      const waitMs = Math.min(THROTTLE_MAX_MS, THROTTLE_BASE_MS * 2 ** Math.min(throttles - 1, 20));
      const notBeforeMs = nowMs() + waitMs;
      if (tooOld(notBeforeMs)) return finish(event, "EventAgeExceeded", event.lastResponse, config);
      return { kind: "retry", persist: false, event: { ...event, throttles, notBeforeMs } };
    };

    let run: InProcessResult;
    try {
      run = await invoker.invoke({
        accountId: event.accountId,
        region: event.region,
        functionName: event.functionName,
        ...(event.qualifier !== undefined ? { qualifier: event.qualifier } : {}),
        payload: Buffer.from(event.payload, "base64"),
        endpointUrl: event.endpointUrl,
        requestId: event.requestId,
        ...(event.clientContext !== undefined ? { clientContext: event.clientContext } : {}),
      });
    } catch (error) {
      const code = (error as Partial<AwsError>).code;
      if (code === "TooManyRequestsException") {
        const record = await store.get(store.storage, event.accountId, event.region, event.functionName);
        if (record?.reservedConcurrency === 0) {
          return finish(event, "RetriesExhausted", event.lastResponse, config);
        }
        return throttled();
      }
      // Pending: not runnable yet, like a throttle.
      if (code === "ResourceConflictException") return throttled();
      if (code === "ResourceNotFoundException") {
        logger.warn(`lambda async invocation ${event.requestId} dropped: ${(error as Error).message}`);
        return { kind: "done" };
      }
      throw error;
    }

    const response: AsyncAttemptResponse = {
      executedVersion: run.resolved.version,
      ...(run.result.functionError !== undefined ? { functionError: run.result.functionError } : {}),
      payload: run.result.payload.toString("base64"),
    };
    const attempted: AsyncEvent = { ...event, invokeCount: event.invokeCount + 1, lastResponse: response };
    delete attempted.throttles;
    if (run.result.functionError === undefined) return finish(attempted, "Success", response, config);
    if (attempted.invokeCount > maxRetries) return finish(attempted, "RetriesExhausted", response, config);
    const notBeforeMs = nowMs() + options.retryBaseMs * attempted.invokeCount;
    if (tooOld(notBeforeMs)) return finish(attempted, "EventAgeExceeded", response, config);
    return { kind: "retry", persist: true, event: { ...attempted, notBeforeMs } };
  };
}
