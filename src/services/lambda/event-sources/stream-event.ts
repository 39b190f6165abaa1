/**
 * The event Lambda hands a function for a batch of DynamoDB stream records:
 * `{"Records": [{eventID, eventName, eventVersion, eventSource, awsRegion, dynamodb, eventSourceARN}]}`.
 *
 * Each record is the stream record as the DynamoDB Streams API returns it (Stratus stores it in that
 * shape, items-store/streams.ts) plus `eventSourceARN`, as in the recording of a Lambda invoked by a
 * DynamoDB stream (/work/shared/fixtures/aws-recorded/dynamodb-stream-esm-event.localstack-snapshot.json).
 * Two details differ from GetRecords, as Lambda writes them:
 * - ApproximateCreationDateTime is a Java double (`1.684934517E9`), so a Python function reads a float;
 * - userIdentity (TTL deletions) has lower-case members: `{"type": "Service", "principalId": ...}`.
 */
import { randomUUID } from "node:crypto";
import type { StreamRecordData } from "../../dynamodb/items-store/streams.ts";

export interface LambdaStreamRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  userIdentity?: { type: string; principalId: string };
  dynamodb: StreamRecordData["dynamodb"];
  eventSourceARN: string;
}

export function lambdaRecordOf(record: StreamRecordData, eventSourceArn: string): LambdaStreamRecord {
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    ...(record.userIdentity && {
      userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId },
    }),
    dynamodb: record.dynamodb,
    eventSourceARN: eventSourceArn,
  };
}

/** Java's Double.toString of a whole number of seconds: 1684934517 → "1.684934517E9". */
export function javaDoubleText(n: number): string {
  if (!Number.isInteger(n) || Math.abs(n) < 1e7) return Number.isInteger(n) ? `${n}.0` : String(n);
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.abs(n));
  const fraction = digits.slice(1).replace(/0+$/, "") || "0";
  return `${sign}${digits[0]}.${fraction}E${digits.length - 1}`;
}

/** The payload bytes of one invoke: the records in stream order. */
export function streamEventPayload(records: readonly LambdaStreamRecord[]): Buffer {
  // JSON has no way to ask for "1.684934517E9", so each time is written as a placeholder first; the
  // random part keeps item data from ever looking like one.
  const PLACEHOLDER = `\u0000ACDT-${randomUUID()}\u0000`;
  const times: number[] = [];
  const text = JSON.stringify({ Records: records }, (key, value) => {
    if (key === "ApproximateCreationDateTime" && typeof value === "number") {
      times.push(value);
      return PLACEHOLDER;
    }
    return value;
  });
  const quoted = JSON.stringify(PLACEHOLDER);
  let index = 0;
  return Buffer.from(
    text
      .split(quoted)
      .reduce((out, part, i) => (i === 0 ? part : `${out}${javaDoubleText(times[index++]!)}${part}`), ""),
  );
}
