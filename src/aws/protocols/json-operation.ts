/**
 * Adapts a typed awsJson operation — `(input, context) => output` — to the edge's handler shape:
 * parse the JSON body (SerializationException when it is not JSON, as DynamoDB answers), run, and hand
 * the output object back for the protocol to encode.
 */

import type { OperationHandler } from "../../services/service.ts";
import type { RequestContext } from "../context.ts";
import { AwsError } from "../errors.ts";

export type JsonOperation<Input = Record<string, unknown>, Output = unknown> = (
  input: Input,
  context: RequestContext,
) => Promise<Output> | Output;

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new AwsError("SerializationException", "", 400);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AwsError("SerializationException", "", 400);
  }
  return value as Record<string, unknown>;
}

export function jsonHandler<Input, Output>(
  operation: JsonOperation<Input, Output>,
  validate: (input: Record<string, unknown>) => Input = (input) => input as Input,
): OperationHandler {
  return async (request) => {
    const body = request.body;
    if (!Buffer.isBuffer(body)) throw new Error("awsJson operations take buffered bodies");
    const input = validate(parseJsonBody(body));
    return { body: await operation(input, request.context) };
  };
}
