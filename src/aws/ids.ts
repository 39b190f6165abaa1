/**
 * Identifiers in the shapes AWS uses, so that clients which log or parse them see familiar values.
 * - DynamoDB request ids: 52 upper-case letters and digits (observed on every DynamoDB response).
 * - Most other JSON/REST services: a lower-case UUID v4.
 * - S3: `x-amz-request-id` is 16 upper-case hex characters, `x-amz-id-2` a base64 host id.
 */
import { randomBytes, randomUUID } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function uuid(): string {
  return randomUUID();
}

/** A DynamoDB-style request id: 52 characters of [A-Z0-9]. */
export function dynamoRequestId(): string {
  const bytes = randomBytes(52);
  let id = "";
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return id;
}

/** An S3 `x-amz-request-id`: 16 upper-case hex characters. */
export function s3RequestId(): string {
  return randomBytes(8).toString("hex").toUpperCase();
}

/** An S3 `x-amz-id-2` (extended request id): base64 of random bytes, as long as AWS's. */
export function s3HostId(): string {
  return randomBytes(56).toString("base64");
}
