/**
 * The answers an HTTP API gives itself, before or instead of an integration: a JSON body
 * `{"message": ...}` (lower-case `message`, unlike function URLs' `Message`) and the request's id in
 * `apigw-requestid`, which every HTTP API response carries.
 *
 * Texts: 404 "Not Found" and the stage rule (developer guide, "Routing API requests"); 401
 * "Unauthorized" with `www-authenticate` (developer guide, "Troubleshooting issues with HTTP API JWT
 * authorizers"); 500 "Internal Server Error" for a failed Lambda integration or authorizer
 * (developer guide, "Working with AWS Lambda authorizers for HTTP APIs", troubleshooting); 503
 * "Service Unavailable" for an integration timeout (a response from AWS quoted in cortexlabs/cortex
 * issue #1225, with `apigw-requestid`); 403 "Forbidden" and 429 "Too Many Requests".
 */
import type { DataPlaneResponse } from "../../../edge/data-plane.ts";
import { mergeHeaders } from "../../execute-api/headers.ts";

export type GatewayMessage =
  | "Not Found"
  | "Unauthorized"
  | "Forbidden"
  | "Too Many Requests"
  | "Internal Server Error"
  | "Service Unavailable";

const STATUS: Record<GatewayMessage, number> = {
  "Not Found": 404,
  Unauthorized: 401,
  Forbidden: 403,
  "Too Many Requests": 429,
  "Internal Server Error": 500,
  "Service Unavailable": 503,
};

export function gatewayAnswer(
  message: GatewayMessage,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): DataPlaneResponse {
  return {
    status: STATUS[message],
    headers: mergeHeaders(mergeHeaders({ "content-type": "application/json" }, extraHeaders), {
      "apigw-requestid": requestId,
    }),
    body: JSON.stringify({ message }),
  };
}
