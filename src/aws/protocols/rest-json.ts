/**
 * restJson1 (Lambda, API Gateway v1/v2 control planes): operations are bound to method + path
 * templates; errors carry their code in the `x-amzn-ErrorType` header and a JSON body.
 */
import { AwsError } from "../errors.ts";
import type { EncodedResponse, ErrorStyle } from "./protocol.ts";

/** The body most restJson services write: `{"message": "..."}` plus any extra fields. */
function defaultBody(error: AwsError): Record<string, unknown> {
  return { message: error.message, ...error.fields };
}

export function encodeRestJsonError(error: AwsError, style: ErrorStyle, requestId: string): EncodedResponse {
  return {
    status: error.status,
    headers: {
      ...error.headers,
      "x-amzn-RequestId": requestId,
      "x-amzn-ErrorType": error.code,
      "Content-Type": "application/json",
    },
    body: JSON.stringify((style.restJsonBody ?? defaultBody)(error)),
  };
}

/** No operation of the service is bound to this method and path. */
export function unknownRestJsonOperation(): AwsError {
  return new AwsError("UnknownOperationException", "Unknown operation", 404);
}
