/**
 * Invoke's own errors, word for word as Lambda answers them where a recording or a quoted answer was
 * found. Sources: answers quoted in public issue threads (aws-sdk-js #1876, aws-cli issues, ASFHyP3/hyp3
 * #2241, alexcasalboni/aws-lambda-power-tuning #133), the Lambda API reference (codes, statuses, the
 * TooManyRequestsException Reason values). The Jackson detail after "Could not parse payload into json:"
 * is reproduced for the common cases only (see invalidPayload).
 */
import { AwsError } from "../../../aws/errors.ts";

/** AWS's limit for InvocationType Event payloads. */
// 1 MB since 2025 (Invoke API reference; errors now quote "limit 1048576 bytes").
export const ASYNC_PAYLOAD_BYTES_MAX = 1_048_576;

export type ThrottleReason =
  | "ConcurrentInvocationLimitExceeded"
  | "ReservedFunctionConcurrentInvocationLimitExceeded";

/** 429 with the Reason member the SDK exposes as `Reason`. */
export function tooManyRequests(reason: ThrottleReason): AwsError {
  return new AwsError("TooManyRequestsException", "Rate Exceeded.", 429, { fields: { Reason: reason } });
}

/** "1100016 byte payload is too large for the Event invocation type (limit 1048576 bytes)". */
export function asyncPayloadTooLarge(sizeBytes: number): AwsError {
  return new AwsError(
    "RequestEntityTooLargeException",
    `${sizeBytes} byte payload is too large for the Event invocation type (limit ${ASYNC_PAYLOAD_BYTES_MAX} bytes)`,
    413,
  );
}

/**
 * A payload that is not JSON. AWS's text is Jackson's parser message:
 * `Could not parse request body into json: Could not parse payload into json: Unrecognized token 'x':
 * was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source:
 * (byte[])"x"; line: 1, column: 2]`. Stratus writes the same frame; the detail matches Jackson for an
 * unrecognized token at the start and is an approximation otherwise (unconfirmed).
 */
export function invalidPayload(payload: Buffer): AwsError {
  return new AwsError(
    "InvalidRequestContentException",
    `Could not parse request body into json: Could not parse payload into json: ${jacksonDetail(payload)}`,
    400,
  );
}

/** X-Amz-Client-Context that is not base64 of a JSON object (text unconfirmed). */
export function invalidClientContext(): AwsError {
  return new AwsError(
    "InvalidRequestContentException",
    "Client context must be a valid Base64-encoded JSON object.",
    400,
  );
}

function jacksonDetail(payload: Buffer): string {
  const text = payload.toString("utf8");
  const shown =
    text.length > 500 ? `${text.slice(0, 500)}"[truncated ${payload.length - 500} bytes]` : `${text}"`;
  const lead = /^\s*/.exec(text)?.[0].length ?? 0;
  const token = /^[^\s{}[\]",:]+/.exec(text.slice(lead))?.[0];
  if (token && !/^-?[0-9]/.test(token)) {
    const column = lead + token.length + 1;
    return `Unrecognized token '${token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (byte[])"${shown}; line: 1, column: ${column}]`;
  }
  const position = errorPosition(text);
  return `Unexpected character: expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (byte[])"${shown}; line: ${position.line}, column: ${position.column}]`;
}

function errorPosition(text: string): { line: number; column: number } {
  try {
    JSON.parse(text);
  } catch (error) {
    const match = /position (\d+)/.exec((error as Error).message);
    if (match) {
      const offset = Number(match[1]);
      const before = text.slice(0, offset).split("\n");
      return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
    }
  }
  return { line: 1, column: text.length + 1 };
}
