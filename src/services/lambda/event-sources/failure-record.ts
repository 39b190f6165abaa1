/**
 * The record Lambda writes for a discarded DynamoDB stream batch ("Retain discarded batch records for a
 * DynamoDB event source in Lambda", AWS Lambda Developer Guide):
 *
 *   { requestContext: { requestId, functionArn, condition: RetryAttemptsExhausted | RecordAgeExceeded,
 *                       approximateInvokeCount },
 *     responseContext: { statusCode, executedVersion, functionError (after a function error) },
 *     version: "1.0", timestamp: ISO-8601 with milliseconds,
 *     DDBStreamBatchInfo: { shardId, startSequenceNumber, endSequenceNumber,
 *                           approximateArrivalOfFirstRecord, approximateArrivalOfLastRecord (ISO-8601,
 *                           whole seconds), batchSize, streamArn },
 *     payload: the whole invocation event (S3 destinations only) }
 *
 * ## Gaps
 * - `payload` is the event's JSON text, as the guide's example writes it ("<Whole Event>" in quotes).
 * - A batch that never reached the function (expired while throttled, or the function is gone) has
 *   responseContext { statusCode: 0, executedVersion: "", functionError: "" }: unconfirmed on AWS.
 */
import { randomUUID } from "node:crypto";
import type { LambdaStreamRecord } from "./stream-event.ts";

export type DiscardCondition = "RetryAttemptsExhausted" | "RecordAgeExceeded";

/** What the last attempt at the batch answered, if it reached the function. */
export interface LastResponse {
  executedVersion: string;
  functionError?: string;
}

export interface StreamFailureInput {
  functionArn: string;
  condition: DiscardCondition;
  invokeCount: number;
  response: LastResponse | undefined;
  shardId: string;
  streamArn: string;
  records: readonly LambdaStreamRecord[];
  /** The invocation event (streamEventPayload), for S3 destinations. */
  payload: Buffer;
  now: Date;
}

export function streamFailureRecord(input: StreamFailureInput): Record<string, unknown> {
  const first = input.records[0]!;
  const last = input.records.at(-1)!;
  const arrival = (record: LambdaStreamRecord) =>
    new Date(record.dynamodb.ApproximateCreationDateTime * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.invokeCount,
    },
    responseContext: {
      statusCode: input.response !== undefined ? 200 : 0,
      executedVersion: input.response?.executedVersion ?? "",
      // A function that answered (ReportBatchItemFailures) has no functionError; one never reached has "".
      ...(input.response === undefined
        ? { functionError: "" }
        : input.response.functionError !== undefined
          ? { functionError: input.response.functionError }
          : {}),
    },
    version: "1.0",
    timestamp: input.now.toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: first.dynamodb.SequenceNumber,
      endSequenceNumber: last.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first),
      approximateArrivalOfLastRecord: arrival(last),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
    payload: input.payload.toString("utf8"),
  };
}
