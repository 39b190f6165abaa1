/**
 * awsJson1_0 / awsJson1_1 (DynamoDB, DynamoDB Streams, CloudWatch Logs): every request is a POST to
 * `/` naming its operation in `X-Amz-Target: <targetPrefix>.<Operation>`, with a JSON body; errors are
 * `{"__type": "<namespace>#<Code>", "message": "..."}` with status 400 (caller) or 500 (service).
 *
 * Order of checks recorded from DynamoDB by dynalite (mhart/dynalite index.js): a non-POST or a
 * non-JSON content type answers 404 `<UnknownOperationException/>`; an unknown target answers 400
 * UnknownOperationException, both before authentication.
 */
import { crc32 } from "node:zlib";
import type { AwsError } from "../errors.ts";
import { AwsError as Err } from "../errors.ts";
import type { ServiceModel } from "../models/index.ts";
import type { EncodedResponse, ErrorStyle, OperationResolution, ProtocolRequest } from "./protocol.ts";

const CORAL = "com.amazon.coral.service";

export function contentTypeOf(model: ServiceModel): string {
  return model.metadata.protocol === "awsJson1_1"
    ? "application/x-amz-json-1.1"
    : "application/x-amz-json-1.0";
}

export function resolveJsonOperation(model: ServiceModel, request: ProtocolRequest): OperationResolution {
  const contentType = (String(request.headers["content-type"] ?? "").split(";")[0] ?? "")
    .trim()
    .toLowerCase();
  const jsonType =
    contentType === "" ||
    contentType === "application/json" ||
    contentType.startsWith("application/x-amz-json");
  if (request.method !== "POST" || !jsonType) {
    return { error: new Err("UnknownOperationException", "", 404) };
  }
  const target = String(request.headers["x-amz-target"] ?? "");
  const dot = target.lastIndexOf(".");
  const prefix = target.slice(0, dot);
  const operation = target.slice(dot + 1);
  if (dot < 0 || prefix !== model.metadata.targetPrefix || !(operation in model.operations)) {
    return { error: unknownJsonOperation() };
  }
  return { operation, pathParams: {} };
}

export function unknownJsonOperation(message = ""): AwsError {
  return new Err("UnknownOperationException", message, 400);
}

export function encodeJsonError(
  error: AwsError,
  style: ErrorStyle,
  model: ServiceModel,
  requestId: string,
): EncodedResponse {
  const headers = { ...error.headers, "x-amzn-RequestId": requestId };
  if (error.status === 404 && error.code === "UnknownOperationException") {
    // What DynamoDB answers to a request that is not an awsJson call at all.
    return {
      status: error.status,
      headers: { ...headers, "Content-Type": "text/xml" },
      body: `<${error.code}/>\n`,
    };
  }
  const body: Record<string, unknown> = { __type: `${style.jsonType?.(error.code) ?? CORAL}#${error.code}` };
  if (error.message !== "") body.message = error.message;
  Object.assign(body, error.fields);
  return withCrc32(style, {
    status: error.status,
    headers: { ...headers, "Content-Type": contentTypeOf(model) },
    body: JSON.stringify(body),
  });
}

export function encodeJsonResult(
  body: unknown,
  style: ErrorStyle,
  model: ServiceModel,
  requestId: string,
): EncodedResponse {
  return withCrc32(style, {
    status: 200,
    headers: { "x-amzn-RequestId": requestId, "Content-Type": contentTypeOf(model) },
    body: JSON.stringify(body ?? {}),
  });
}

/** DynamoDB sends the CRC32 of every body in `x-amz-crc32`; botocore checks it when present. */
function withCrc32(style: ErrorStyle, response: EncodedResponse & { body: string }): EncodedResponse {
  if (style.crc32) response.headers["x-amz-crc32"] = String(crc32(response.body));
  return response;
}
