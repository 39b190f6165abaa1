/**
 * The answer to an invoke URL whose stage does not exist (or a path with no stage at all): 403
 * {"message":"Forbidden"} with x-amzn-ErrorType ForbiddenException. It comes before any deployment is
 * found, so no gateway response customisation applies.
 */
import type { DataPlaneResponse } from "../../../edge/data-plane.ts";
import { mergeHeaders } from "../../execute-api/headers.ts";

export function forbidden(headers: Record<string, string>): DataPlaneResponse {
  return {
    status: 403,
    headers: mergeHeaders(
      { "Content-Type": "application/json", "x-amzn-ErrorType": "ForbiddenException" },
      headers,
    ),
    body: JSON.stringify({ message: "Forbidden" }),
  };
}
