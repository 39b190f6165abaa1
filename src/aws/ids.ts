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

/** Random bytes are drawn a pool at a time: one syscall per ~150 request ids instead of one each. */
const POOL_BYTES = 8192;
let pool = Buffer.alloc(0);
let poolAt = 0;

function randomChunk(size: number): Buffer {
  if (poolAt + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  const chunk = pool.subarray(poolAt, poolAt + size);
  poolAt += size;
  return chunk;
}

/** A DynamoDB-style request id: 52 characters of [A-Z0-9]. */
export function dynamoRequestId(): string {
  const bytes = randomChunk(52);
  let id = "";
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return id;
}

/** An S3 `x-amz-request-id`: 16 upper-case hex characters. */
export function s3RequestId(): string {
  return randomChunk(8).toString("hex").toUpperCase();
}

/** An S3 `x-amz-id-2` (extended request id): base64 of random bytes, as long as AWS's. */
export function s3HostId(): string {
  return randomChunk(56).toString("base64");
}

/**
 * API Gateway's short request ids (`apigw-requestid`, `x-amz-apigw-id`): 16 characters, base64 of
 * 11 bytes with its one `=` ("JJbxmHOpoAMFQNQ=", "Mc7UVioPPHcEKPA=" as AWS shows them). They look
 * alphanumeric, so bytes that would give `+` or `/` are redrawn.
 */
export function apiGatewayShortId(): string {
  for (;;) {
    const id = randomChunk(11).toString("base64");
    if (!/[+/]/.test(id)) return id;
  }
}

/** An X-Ray trace root: `Root=1-{epoch seconds, hex}-{96 random bits, hex}`. */
export function xrayTraceRoot(at: Date): string {
  return `Root=1-${Math.floor(at.getTime() / 1000).toString(16)}-${randomChunk(12).toString("hex")}`;
}
