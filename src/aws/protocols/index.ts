/**
 * One entry point per protocol concern, dispatching on the service's protocol: find the operation,
 * write a result, write an error, and say "not implemented" in the protocol's own words.
 */
import { Readable } from "node:stream";
import type { ServiceDefinition, ServiceResponse } from "../../services/service.ts";
import type { AwsError } from "../errors.ts";
import { AwsError as Err } from "../errors.ts";
import { encodeJsonError, encodeJsonResult, resolveJsonOperation, unknownJsonOperation } from "./aws-json.ts";
import { encodeQueryError, resolveQueryOperation } from "./aws-query.ts";
import type { EncodedResponse, OperationResolution, ProtocolRequest } from "./protocol.ts";
import { encodeRestJsonError, unknownRestJsonOperation } from "./rest-json.ts";
import { RestRouter } from "./rest-router.ts";
import { encodeRestXmlError, methodNotAllowed, notImplemented } from "./rest-xml.ts";

export interface ResponseIds {
  requestId: string;
  /** S3's x-amz-id-2. */
  hostId?: string;
}

const routers = new WeakMap<ServiceDefinition, RestRouter>();

function routerOf(service: ServiceDefinition): RestRouter {
  let router = routers.get(service);
  if (!router) {
    router = new RestRouter(service.model.operations);
    routers.set(service, router);
  }
  return router;
}

/**
 * A promise only for awsQuery, which reads the body to find `Action`: the other protocols decide from
 * the request line and headers, and the edge then spends no microtask on this step.
 */
export function resolveOperation(
  service: ServiceDefinition,
  request: ProtocolRequest,
): OperationResolution | Promise<OperationResolution> {
  switch (service.protocol) {
    case "awsJson1_0":
    case "awsJson1_1":
      return resolveJsonOperation(service.model, request);
    case "awsQuery":
      return resolveQueryOperation(service.model, request);
    case "restJson1":
    case "restXml": {
      const match = routerOf(service).match(request);
      if (match) return match;
      if (service.protocol === "restJson1") return { error: unknownRestJsonOperation() };
      const resourceType =
        request.segments.length > 1 ? "OBJECT" : request.segments[0] ? "BUCKET" : "SERVICE";
      return { error: methodNotAllowed(request.method, resourceType) };
    }
  }
}

/** The answer for an AWS operation that Stratus does not implement (yet): AWS's own error, honest. */
export function notImplementedError(service: ServiceDefinition, operation: string): AwsError {
  const message = `Stratus does not implement ${service.model.metadata.serviceId ?? service.id} ${operation} yet.`;
  switch (service.protocol) {
    case "awsJson1_0":
    case "awsJson1_1":
      return unknownJsonOperation(message);
    case "restJson1":
      return new Err("UnknownOperationException", message, 404);
    case "restXml":
      return notImplemented(operation);
    case "awsQuery":
      return new Err("InvalidAction", message, 400);
  }
}

export function encodeError(
  service: ServiceDefinition,
  error: AwsError,
  ids: ResponseIds,
  method: string,
): EncodedResponse {
  switch (service.protocol) {
    case "awsJson1_0":
    case "awsJson1_1":
      return encodeJsonError(error, service.errorStyle, service.model, ids.requestId);
    case "restJson1":
      return encodeRestJsonError(error, service.errorStyle, ids.requestId);
    case "restXml":
      return encodeRestXmlError(error, service.errorStyle, ids.requestId, ids.hostId, method);
    case "awsQuery":
      return encodeQueryError(error, service.errorStyle, ids.requestId);
  }
}

export function encodeResult(
  service: ServiceDefinition,
  response: ServiceResponse,
  ids: ResponseIds,
): EncodedResponse {
  if (service.protocol === "awsJson1_0" || service.protocol === "awsJson1_1") {
    return encodeJsonResult(response.body, service.errorStyle, service.model, ids.requestId);
  }
  // Object.assign rather than a spread: the spread measured several times slower on Node 20, and
  // every REST answer (S3, Lambda, API Gateway's control plane) passes here.
  const headers: Record<string, string | string[]> = Object.assign({}, response.headers);
  if (service.requestIdStyle === "s3") {
    headers["x-amz-request-id"] = ids.requestId;
    if (ids.hostId) headers["x-amz-id-2"] = ids.hostId;
  } else {
    headers["x-amzn-RequestId"] = ids.requestId;
  }
  const body = response.body;
  if (
    body === undefined ||
    typeof body === "string" ||
    body instanceof Uint8Array ||
    body instanceof Readable
  ) {
    return { status: response.status ?? 200, headers, body };
  }
  headers["Content-Type"] ??= "application/json";
  return { status: response.status ?? 200, headers, body: JSON.stringify(body) };
}
