/**
 * The custom resource request CloudFormation sends to a provider function, and the response it reads
 * back, with the words CloudFormation puts in a stack event when the response says FAILED, comes too
 * late or cannot be used. Kept apart from the provider so the protocol's shapes read in one place.
 */
import { record } from "../property-values.ts";

export type RequestType = "Create" | "Update" | "Delete";

export interface CustomResourceRequest {
  readonly RequestType: RequestType;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
  readonly PhysicalResourceId?: string;
}

export interface CustomResourceResponse {
  readonly status: "SUCCESS" | "FAILED";
  readonly reason?: string;
  readonly physicalResourceId?: string;
  readonly noEcho: boolean;
  readonly data: Record<string, unknown>;
}

/**
 * Properties as CloudFormation sends them in ResourceProperties: every number and boolean, at any
 * depth, becomes its text (`Count: 3` arrives as `"3"`); objects, lists and strings keep their shape.
 */
export function stringifiedProperties(value: unknown): unknown {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(stringifiedProperties);
  const object = record(value);
  if (object)
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, stringifiedProperties(v)]));
  return value;
}

export const RESPONSE_BYTES_MAX = 4096;

/** Why a response object cannot be used (CloudFormation fails the resource with these words). */
export class InvalidResponse extends Error {}

/**
 * Reads the object the function PUT. Undefined: not an answer to this request (another RequestId or
 * StackId: CloudFormation goes on waiting for the right one).
 */
export function parseResponse(
  body: Buffer,
  request: CustomResourceRequest,
): CustomResourceResponse | undefined {
  // "The total size of the response body can't exceed 4096 bytes" (custom resource response objects).
  if (body.length > RESPONSE_BYTES_MAX) throw new InvalidResponse("Response object is too long.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new InvalidResponse("Response is not valid JSON");
  }
  const response = record(parsed);
  if (!response) throw new InvalidResponse("Response is not valid JSON");
  if (response.RequestId !== request.RequestId || response.StackId !== request.StackId) return undefined;
  const status = response.Status;
  if (status !== "SUCCESS" && status !== "FAILED") {
    throw new InvalidResponse(`Invalid response status [${String(status)}] from custom resource`);
  }
  const physicalResourceId =
    typeof response.PhysicalResourceId === "string" && response.PhysicalResourceId !== ""
      ? response.PhysicalResourceId
      : undefined;
  if (status === "SUCCESS" && physicalResourceId === undefined) {
    throw new InvalidResponse("Invalid PhysicalResourceId");
  }
  return {
    status,
    ...(typeof response.Reason === "string" && { reason: response.Reason }),
    ...(physicalResourceId !== undefined && { physicalResourceId }),
    noEcho: response.NoEcho === true || response.NoEcho === "true",
    data: record(response.Data) ?? {},
  };
}

/** A FAILED response, as the stack event shows it. */
export function failedMessage(response: CustomResourceResponse, request: CustomResourceRequest): string {
  return `Received response status [FAILED] from custom resource. Message returned: ${response.reason ?? ""} (RequestId: ${request.RequestId})`;
}

/** No response before the timeout, as the stack event shows it. */
export function timeoutMessage(request: CustomResourceRequest): string {
  return `CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [${request.RequestId}]. If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version.`;
}
