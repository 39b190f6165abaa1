/**
 * The invocation record Lambda sends to a destination ("Capturing records of Lambda asynchronous
 * invocations", AWS Lambda Developer Guide; shapes recorded from Lambda in LocalStack's
 * test_lambda_destinations.snapshot.json):
 *
 *   { version: "1.0", timestamp: ISO-8601 with milliseconds,
 *     requestContext: { requestId, functionArn (qualified: $LATEST when invoked unqualified),
 *                       condition: Success | RetriesExhausted | EventAgeExceeded, approximateInvokeCount },
 *     requestPayload: the event (JSON),
 *     responseContext: { statusCode: 200, executedVersion, functionError (only after an error) },
 *     responsePayload: the function's answer (JSON) }
 *
 * ## Gaps
 * - An event that expires before any attempt reached the function (throttled throughout, or a function
 *   with reserved concurrency 0) carries no responseContext/responsePayload (unconfirmed on AWS).
 */

import type { AsyncAttemptResponse, AsyncEvent } from "../invoke/async-queue.ts";
import { functionArn, LATEST } from "../store.ts";

export type RecordCondition = "Success" | "RetriesExhausted" | "EventAgeExceeded";

export interface InvocationRecord {
  version: "1.0";
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: RecordCondition;
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext?: { statusCode: number; executedVersion: string; functionError?: string };
  responsePayload?: unknown;
}

export function invocationRecord(
  event: AsyncEvent,
  condition: RecordCondition,
  response: AsyncAttemptResponse | undefined,
  now: Date,
): InvocationRecord {
  const record: InvocationRecord = {
    version: "1.0",
    timestamp: now.toISOString(),
    requestContext: {
      requestId: event.requestId,
      functionArn: functionArn(event.region, event.accountId, event.functionName, event.qualifier ?? LATEST),
      condition,
      approximateInvokeCount: event.invokeCount,
    },
    requestPayload: jsonOrText(Buffer.from(event.payload, "base64")),
  };
  if (response !== undefined) {
    record.responseContext = {
      statusCode: 200,
      executedVersion: response.executedVersion,
      ...(response.functionError !== undefined ? { functionError: response.functionError } : {}),
    };
    record.responsePayload = jsonOrText(Buffer.from(response.payload, "base64"));
  }
  return record;
}

/** JSON as JSON; anything else (a runtime that answered non-JSON) as its text. */
function jsonOrText(bytes: Buffer): unknown {
  const text = bytes.toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
