/**
 * AWS::CloudFormation::CustomResource and every `Custom::*` type: a resource whose lifecycle a Lambda
 * function of the template's author carries out. As CloudFormation does, each operation invokes the
 * ServiceToken function asynchronously (Event) with a request object (RequestType, ResponseURL,
 * StackId, RequestId, ResourceType, LogicalResourceId, ResourceProperties with every scalar as text,
 * OldResourceProperties and PhysicalResourceId where they apply), then waits for the function's
 * response object at the presigned ResponseURL (./response-bucket.ts). Ref is the response's
 * PhysicalResourceId; Fn::GetAtt reads its Data.
 *
 * Differences from AWS, by design:
 * - The wait is ServiceTimeout seconds when given (1–3600, as AWS), else 5 minutes, not AWS's hour: a
 *   local deploy whose function never answers should fail while someone still watches it.
 * - An Update answered with a new PhysicalResourceId is a replacement; AWS sends the Delete for the
 *   old id in the stack's cleanup phase, Stratus sends it right after the Update succeeds (best
 *   effort: its failure is ignored, as a failed cleanup does not fail an AWS stack either).
 * - A Delete whose function no longer exists fails at once with a clear message, where AWS would
 *   wait out the timeout.
 * - SNS topic service tokens fail: Stratus has no SNS yet.
 * - NoEcho in a response is read but Data is not masked in stack descriptions.
 */
import { isAwsError } from "../../../../aws/errors.ts";
import { uuid } from "../../../../aws/ids.ts";
import { integer, text } from "../property-values.ts";
import type { CurrentResource, ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";
import {
  type CustomResourceRequest,
  type CustomResourceResponse,
  failedMessage,
  InvalidResponse,
  parseResponse,
  type RequestType,
  stringifiedProperties,
  timeoutMessage,
} from "./custom-resource-messages.ts";
import {
  deleteObject,
  ensureResponseBucket,
  presignedUrl,
  readObject,
  stratusEndpoint,
} from "./response-bucket.ts";

/** Stratus's wait when the template gives no ServiceTimeout (AWS: 3600 seconds). */
export const DEFAULT_WAIT_SECONDS = 300;
const SERVICE_TIMEOUT_MAX = 3600;
const POLL_INTERVAL_MS = 150;

type Properties = Readonly<Record<string, unknown>>;

function serviceToken(context: ProviderContext, properties: Properties): string {
  const token = text(properties.ServiceToken);
  if (token === undefined || token === "") {
    throw new Error(
      `Properties validation failed for resource ${context.logicalId} with message: #: required key [ServiceToken] not found`,
    );
  }
  if (/^arn:[^:]+:sns:/.test(token)) {
    throw new Error(
      `Stratus has no SNS yet: the custom resource ${context.logicalId} cannot use the topic ${token} as its ServiceToken; use a Lambda function ARN`,
    );
  }
  return token;
}

/** Seconds to wait for the response: ServiceTimeout (an integer from 1 to 3600) or Stratus's default. */
function waitSeconds(context: ProviderContext, properties: Properties): number {
  if (properties.ServiceTimeout === undefined || properties.ServiceTimeout === null)
    return DEFAULT_WAIT_SECONDS;
  const seconds = integer(properties.ServiceTimeout);
  if (
    typeof seconds !== "number" ||
    !Number.isInteger(seconds) ||
    seconds < 1 ||
    seconds > SERVICE_TIMEOUT_MAX
  ) {
    throw new Error(
      `Properties validation failed for resource ${context.logicalId} with message: ServiceTimeout must be an integer from 1 to ${SERVICE_TIMEOUT_MAX}`,
    );
  }
  return seconds;
}

async function invoke(
  context: ProviderContext,
  token: string,
  request: CustomResourceRequest,
): Promise<void> {
  await context.call.callRaw("lambda", "Invoke", {
    pathParams: { FunctionName: token },
    headers: { "x-amz-invocation-type": "Event" },
    body: JSON.stringify(request),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends one request and waits for its answer. A FAILED answer, a late or unusable one, throws with
 * CloudFormation's words; SUCCESS returns the response.
 */
async function exchange(
  context: ProviderContext,
  requestType: RequestType,
  properties: Properties,
  extra: { oldProperties?: Properties; physicalId?: string } = {},
): Promise<CustomResourceResponse> {
  const token = serviceToken(context, properties);
  const seconds = waitSeconds(context, properties);
  stratusEndpoint(context);
  const bucket = await ensureResponseBucket(context);
  const requestId = uuid();
  const key = `${context.stackName}/${context.logicalId}/${requestId}`;
  const request: CustomResourceRequest = {
    RequestType: requestType,
    ResponseURL: await presignedUrl(context, bucket, key),
    StackId: context.stackId,
    RequestId: requestId,
    ResourceType: context.resourceType,
    LogicalResourceId: context.logicalId,
    ResourceProperties: stringifiedProperties(properties) as Record<string, unknown>,
    ...(extra.oldProperties !== undefined && {
      OldResourceProperties: stringifiedProperties(extra.oldProperties) as Record<string, unknown>,
    }),
    ...(extra.physicalId !== undefined && { PhysicalResourceId: extra.physicalId }),
  };
  try {
    await invoke(context, token, request);
  } catch (error) {
    if (requestType === "Delete" && isAwsError(error) && error.code === "ResourceNotFoundException") {
      throw new Error(
        `Cannot delete custom resource ${context.logicalId}: its ServiceToken function ${token} no longer exists (${error.message})`,
      );
    }
    throw error;
  }
  const deadline = Date.now() + seconds * 1000;
  try {
    while (Date.now() < deadline) {
      const body = await readObject(context, bucket, key);
      if (body !== undefined) {
        let response: CustomResourceResponse | undefined;
        try {
          response = parseResponse(body, request);
        } catch (error) {
          if (error instanceof InvalidResponse) throw new Error(`${error.message} (RequestId: ${requestId})`);
          throw error;
        }
        if (response?.status === "FAILED") throw new Error(failedMessage(response, request));
        if (response) return response;
      }
      await sleep(Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now())));
    }
  } finally {
    await deleteObject(context, bucket, key);
  }
  throw new Error(timeoutMessage(request));
}

function provisioned(response: CustomResourceResponse, fallbackId?: string): ProvisionedResource {
  return { physicalId: response.physicalResourceId ?? fallbackId ?? "", attributes: { ...response.data } };
}

export const customResourceProvider: ResourceProvider = {
  async create(context, properties) {
    return provisioned(await exchange(context, "Create", properties));
  },

  async update(context, current: CurrentResource, properties) {
    // "Modifying service token is not allowed." is CloudFormation's refusal of a new ServiceToken.
    if (text(current.properties.ServiceToken) !== text(properties.ServiceToken)) {
      throw new Error("Modifying service token is not allowed.");
    }
    const response = await exchange(context, "Update", properties, {
      oldProperties: current.properties,
      physicalId: current.physicalId,
    });
    const updated = provisioned(response, current.physicalId);
    if (updated.physicalId !== current.physicalId) {
      // A replacement: the old resource is deleted with its own (old) properties, as in AWS's cleanup.
      await exchange(context, "Delete", current.properties, { physicalId: current.physicalId }).catch(
        () => undefined,
      );
    }
    return updated;
  },

  async delete(context, current) {
    await exchange(context, "Delete", current.properties, { physicalId: current.physicalId });
  },
};
