/**
 * AWS_PROXY integrations with Lambda (developer guide, "Create AWS Lambda proxy integrations for HTTP
 * APIs"): the function gets the payload format 2.0 or 1.0 event (payloadFormatVersion) and its answer
 * becomes the response — format 2.0 infers a 200 `application/json` response from any JSON that is
 * not a response description. A function error, an answer that cannot be mapped or a function that
 * cannot be invoked is 500 `{"message":"Internal Server Error"}` (HTTP APIs; REST APIs answer 502);
 * no answer within the integration's timeoutInMillis (default and maximum 30 s) is 503
 * `{"message":"Service Unavailable"}`. The function keeps running after a timeout, as on AWS.
 * The integration's requestParameters shape the event and its responseParameters the mapped answer
 * (parameter-mapping.ts).
 */
import { isAwsError } from "../../../aws/errors.ts";
import { mapResponseV1 } from "../../../aws/http-events/payload-v1.ts";
import { type HttpAnswer, type MalformedAnswer, mapResponseV2 } from "../../../aws/http-events/payload-v2.ts";
import type { DataPlaneResponse } from "../../../edge/data-plane.ts";
import type { Logger } from "../../../log.ts";
import type { FunctionInvoker, InProcessResult } from "../../lambda/invoke/invoker.ts";
import type { IntegrationRecord } from "../snapshot.ts";
import { gatewayAnswer } from "./answers.ts";
import { integrationEventV1, integrationEventV2 } from "./events.ts";
import { invokeTarget } from "./lambda-target.ts";
import { mappedForLambda, mapResponse } from "./parameter-mapping.ts";
import type { ServedRequest } from "./served-request.ts";

export const INTEGRATION_TIMEOUT_MS_MAX = 30_000;

export async function invokeLambdaIntegration(
  invoker: FunctionInvoker,
  logger: Logger,
  integration: IntegrationRecord,
  served: ServedRequest,
): Promise<DataPlaneResponse> {
  const v2 = integration.payloadFormatVersion === "2.0";
  const seen = mappedForLambda(integration.requestParameters, served);
  const event = v2 ? integrationEventV2(seen) : integrationEventV1(seen);
  const timeoutMs = Math.min(
    integration.timeoutInMillis ?? INTEGRATION_TIMEOUT_MS_MAX,
    INTEGRATION_TIMEOUT_MS_MAX,
  );
  const startedMs = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  let outcome: InProcessResult | "timeout";
  try {
    const invocation = invokeTarget(invoker, integration.integrationUri ?? "", served, event);
    // A late rejection after a timeout must not become an unhandled rejection.
    invocation.catch(() => {});
    outcome = await Promise.race([invocation, timedOut]);
  } catch (error) {
    if (!isAwsError(error)) throw error;
    served.integration = { error: `${error.code}: ${error.message}` };
    logger.debug(`HTTP API ${served.apiId}: integration refused: ${error.code}`);
    return gatewayAnswer("Internal Server Error", served.requestId);
  } finally {
    clearTimeout(timer);
  }
  const latencyMs = Date.now() - startedMs;
  if (outcome === "timeout") {
    served.integration = { latencyMs, error: "The integration timed out" };
    return gatewayAnswer("Service Unavailable", served.requestId);
  }
  served.integration = { latencyMs, requestId: outcome.requestId, status: 200 };
  let mapped: HttpAnswer | MalformedAnswer | undefined;
  if (outcome.result.functionError === undefined) {
    mapped = v2 ? mapResponseV2(outcome.result.payload) : mapResponseV1(outcome.result.payload);
  } else {
    served.integration.error = "The Lambda function returned an error";
  }
  if (mapped === undefined || "malformed" in mapped) {
    if (mapped !== undefined) {
      served.integration.error = `Malformed Lambda proxy response: ${mapped.malformed}`;
      logger.debug(`HTTP API ${served.apiId}: ${served.integration.error}`);
    }
    return gatewayAnswer("Internal Server Error", served.requestId);
  }
  // The mapped answer and its header record are this request's own (payload-v1.ts and payload-v2.ts
  // build new ones for every answer), and so is what mapResponse returns: they are completed in place.
  // Two copies of the headers and a spread followed by a member were ~1.5 µs per request (headers.ts).
  const { headers } = mapped;
  if (!hasContentType(headers)) headers["Content-Type"] = "application/json";
  const answer = mapResponse(integration.responseParameters, served, mapped);
  answer.headers["apigw-requestid"] = served.requestId;
  return { status: answer.status, headers: answer.headers, body: answer.body };
}

function hasContentType(headers: Record<string, unknown>): boolean {
  for (const name in headers) {
    if (name.length === 12 && name.toLowerCase() === "content-type") return true;
  }
  return false;
}
