/**
 * One request to a REST API's invoke URL, as a list of named steps over an Invocation:
 *
 *   stage (first path segment; unknown → 403 {"message":"Forbidden"})
 *   → route (resource-match.ts; none → 403 Missing Authentication Token)
 *   → stage throttling (methodSettings)
 *   → authorise (NONE, CUSTOM Lambda authorizers, AWS_IAM SigV4 for execute-api)
 *   → the API's resource policy (resource-policy.ts)
 *   → API key and usage plan (usage-limits.ts)
 *   → request validation (request-validation.ts)
 *   → integration (integrations.ts) → the method response
 *
 * Any step may throw a GatewayError, rendered through the API's gateway responses
 * (gateway-responses.ts). Every answer carries x-amzn-RequestId and x-amz-apigw-id, as API Gateway's do.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../../../aws/clock.ts";
import type { CredentialStore } from "../../../aws/credentials.ts";
import { apiGatewayShortId, xrayTraceRoot } from "../../../aws/ids.ts";
import type { DataPlaneRequest, DataPlaneResponse } from "../../../edge/data-plane.ts";
import type { Logger } from "../../../log.ts";
import type { KvReader } from "../../../storage/kv.ts";
import type { ApiIdOwner } from "../../execute-api/api-ids.ts";
import type { LogsStore } from "../../logs/store.ts";
import type { RestApiDeploymentSnapshot, RestApiSnapshots, StageRecord } from "../snapshot.ts";
import { writeAccessLog } from "./access-log.ts";
import type { AuthorizerRunner } from "./authorizers.ts";
import { forbidden } from "./forbidden.ts";
import { GatewayError, missingAuthenticationToken, renderGatewayError } from "./gateway-responses.ts";
import type { MethodAnswer } from "./integration-response.ts";
import { type IntegrationDeps, runIntegration } from "./integrations.ts";
import { contextVariables, type Invocation, methodRequestValue } from "./invocation.ts";
import { applyResourcePolicy, authorise, checkApiKey } from "./method-request.ts";
import { validateRequest } from "./request-validation.ts";
import { matchResource } from "./resource-match.ts";
import type { UsageLimits } from "./usage-limits.ts";

export interface RestInvokeDeps extends IntegrationDeps {
  storage: KvReader;
  snapshots: RestApiSnapshots;
  authorizers: AuthorizerRunner;
  limits: UsageLimits;
  credentials: CredentialStore;
  clock: Clock;
  logger: Logger;
  /** Where stages' access logs go; none in tests that build the data plane alone. */
  logs?: LogsStore;
  /** TestInvokeMethod: no authorizer, IAM, API key or throttling step. */
  skipAuthorization?: boolean;
}

/** What a deployment-bound request resolves to before routing (also TestInvokeMethod's starting point). */
export interface DeployedTarget {
  stage: StageRecord;
  deployment: RestApiDeploymentSnapshot;
}

/** Serves one invoke-URL request for a REST API. */
export async function serveRestApi(
  deps: RestInvokeDeps,
  request: DataPlaneRequest,
  owner: ApiIdOwner,
): Promise<DataPlaneResponse> {
  const ids = requestIds();
  const [, stageSegment = "", ...rest] = request.rawPath.split("/");
  const stageName = safeDecode(stageSegment);
  const target =
    stageName === ""
      ? undefined
      : await deps.snapshots.stageSnapshot(
          deps.storage,
          owner.accountId,
          owner.region,
          request.id,
          stageName,
        );
  // A stage that does not exist, or an API whose default endpoint is switched off.
  if (target === undefined || target.deployment.api.disableExecuteApiEndpoint === true) {
    return forbidden(ids.headers);
  }
  const invocation = newInvocation(request, owner, target, `/${rest.join("/")}`, ids);
  const started = Date.now();
  const response = await runInvocation(deps, invocation);
  if (deps.logs !== undefined) {
    writeAccessLog(deps.logs, deps.logger, invocation, { response, latencyMs: Date.now() - started });
  }
  return response;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function requestIds(): {
  requestId: string;
  extendedRequestId: string;
  headers: Record<string, string>;
} {
  const requestId = randomUUID();
  // x-amz-apigw-id: API Gateway's 16-character form.
  const extendedRequestId = apiGatewayShortId();
  return {
    requestId,
    extendedRequestId,
    headers: { "x-amzn-RequestId": requestId, "x-amz-apigw-id": extendedRequestId },
  };
}

export function newInvocation(
  request: DataPlaneRequest,
  owner: ApiIdOwner,
  target: DeployedTarget,
  path: string,
  ids: { requestId: string; extendedRequestId: string },
): Invocation {
  const host = request.host.replace(/:[0-9]+$/, "");
  const domainName = request.pathForm ? `${request.id}.execute-api.localhost` : host;
  const port = /:([0-9]+)$/.exec(request.host)?.[1] ?? /:([0-9]+)$/.exec(request.endpoint)?.[1] ?? "80";
  const at = request.receivedAt;
  return {
    request,
    owner,
    apiId: request.id,
    stage: target.stage,
    deployment: target.deployment,
    stageVariables: { ...(target.stage.variables ?? {}) },
    requestId: ids.requestId,
    extendedRequestId: ids.extendedRequestId,
    path: path === "" ? "/" : path,
    domainName,
    addedHeaders: {
      "X-Amzn-Trace-Id": xrayTraceRoot(at),
      "X-Forwarded-For": request.sourceIp,
      "X-Forwarded-Port": port,
      "X-Forwarded-Proto": "http",
    },
    identity: {},
  };
}

/** Routes, authorises, limits and integrates one invocation; gateway errors rendered. */
export async function runInvocation(
  deps: RestInvokeDeps,
  invocation: Invocation,
): Promise<DataPlaneResponse> {
  const idHeaders = {
    "x-amzn-RequestId": invocation.requestId,
    "x-amz-apigw-id": invocation.extendedRequestId,
  };
  try {
    const answer = await steps(deps, invocation);
    // Integration answers also carry the trace id API Gateway forwarded to the integration, as AWS's
    // AWS_PROXY responses recorded by LocalStack show (X-Amzn-Trace-Id next to x-amzn-RequestId).
    const trace = { "X-Amzn-Trace-Id": invocation.addedHeaders["X-Amzn-Trace-Id"] ?? "" };
    return {
      status: answer.status,
      headers: { ...answer.headers, ...trace, ...idHeaders },
      body: answer.body,
    };
  } catch (error) {
    if (!(error instanceof GatewayError)) {
      deps.logger.error(
        `REST API ${invocation.apiId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
    const gatewayError =
      error instanceof GatewayError
        ? error
        : new GatewayError("DEFAULT_5XX", "Internal server error", "InternalServerErrorException", 500);
    invocation.error = { message: gatewayError.message, type: gatewayError.type };
    return renderGatewayError(
      gatewayError,
      invocation.deployment.gatewayResponses,
      {
        context: contextVariables(invocation),
        stageVariables: invocation.stageVariables,
        requestValue: (location, name) => methodRequestValue(invocation, location, name),
      },
      idHeaders,
    );
  }
}

async function steps(deps: RestInvokeDeps, invocation: Invocation): Promise<MethodAnswer> {
  const match = matchResource(invocation.deployment.resources, invocation.path, invocation.request.method);
  if (match === undefined) throw missingAuthenticationToken();
  invocation.match = match;
  const { method } = match;

  if (deps.skipAuthorization === true) {
    validateRequest(invocation);
    return runIntegration(deps, invocation);
  }
  deps.limits.checkStage(
    `${invocation.apiId}/${invocation.stage.stageName}`,
    invocation.stage.methodSettings,
    match.resource.path,
    method.httpMethod,
  );
  await authorise(deps, invocation);
  applyResourcePolicy(invocation);
  await checkApiKey(deps, invocation);
  validateRequest(invocation);
  return runIntegration(deps, invocation);
}
