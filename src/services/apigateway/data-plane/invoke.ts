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
import type { Clock } from "../../../aws/clock.ts";
import type { CredentialStore } from "../../../aws/credentials.ts";
import type { DataPlaneRequest, DataPlaneResponse } from "../../../edge/data-plane.ts";
import type { Logger } from "../../../log.ts";
import type { KvReader } from "../../../storage/kv.ts";
import type { ApiIdOwner } from "../../execute-api/api-ids.ts";
import { mergeHeaders } from "../../execute-api/headers.ts";
import { portOf } from "../../execute-api/host-port.ts";
import { requestUuid, shortRequestId, traceRoot } from "../../execute-api/request-ids.ts";
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
  // "/{stage}/{path}": the first segment names the stage, the rest (from its "/") is the path. By
  // index, not split/join, which built two arrays and a string per request.
  const { rawPath } = request;
  let stageSegment = "";
  let path = "/";
  const first = rawPath.indexOf("/");
  if (first >= 0) {
    const second = rawPath.indexOf("/", first + 1);
    if (second < 0) stageSegment = rawPath.slice(first + 1);
    else {
      stageSegment = rawPath.slice(first + 1, second);
      path = rawPath.slice(second);
    }
  }
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
    return forbidden({ "x-amzn-RequestId": ids.requestId, "x-amz-apigw-id": ids.extendedRequestId });
  }
  const invocation = newInvocation(request, owner, target, path, ids);
  const started = Date.now();
  // Most methods (no authorizer, no API key, a MOCK) answer without waiting: no await, no microtask.
  const pending = runInvocation(deps, invocation);
  const response = pending instanceof Promise ? await pending : pending;
  if (deps.logs !== undefined && target.stage.accessLogSettings !== undefined) {
    writeAccessLog(deps.logs, deps.logger, invocation, { response, latencyMs: Date.now() - started });
  }
  return response;
}

function safeDecode(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function requestIds(): { requestId: string; extendedRequestId: string } {
  // x-amz-apigw-id: API Gateway's 16-character form.
  return { requestId: requestUuid(), extendedRequestId: shortRequestId() };
}

/**
 * A Host header's name without its port ("abc.execute-api.localhost:4566" → "abc.execute-api.localhost")
 * and its port; the last one is kept, since a client sends the same Host on every request.
 */
let lastHost: { text: string; name: string; port: string | undefined } = {
  text: "",
  name: "",
  port: undefined,
};

function hostParts(text: string): { name: string; port: string | undefined } {
  if (text !== lastHost.text) {
    const port = portOf(text);
    lastHost = { text, name: port === undefined ? text : text.slice(0, text.lastIndexOf(":")), port };
  }
  return lastHost;
}

export function newInvocation(
  request: DataPlaneRequest,
  owner: ApiIdOwner,
  target: DeployedTarget,
  path: string,
  ids: { requestId: string; extendedRequestId: string },
): Invocation {
  const host = hostParts(request.host);
  const domainName = request.pathForm ? `${request.id}.execute-api.localhost` : host.name;
  const port = host.port ?? portOf(request.endpoint) ?? "80";
  const variables = target.stage.variables;
  return {
    request,
    owner,
    apiId: request.id,
    stage: target.stage,
    deployment: target.deployment,
    // The invocation's own copy (templates may write to it); most stages have none to copy.
    stageVariables: variables === undefined ? {} : { ...variables },
    requestId: ids.requestId,
    extendedRequestId: ids.extendedRequestId,
    path: path === "" ? "/" : path,
    domainName,
    addedHeaders: {
      "X-Amzn-Trace-Id": traceRoot(request.receivedAt),
      "X-Forwarded-For": request.sourceIp,
      "X-Forwarded-Port": port,
      "X-Forwarded-Proto": "http",
    },
    identity: {},
  };
}

/**
 * Routes, authorises, limits and integrates one invocation; gateway errors rendered. The answer comes
 * synchronously when no step has to wait (see `steps`).
 */
export function runInvocation(
  deps: RestInvokeDeps,
  invocation: Invocation,
): DataPlaneResponse | Promise<DataPlaneResponse> {
  let pending: MethodAnswer | Promise<MethodAnswer>;
  try {
    pending = steps(deps, invocation);
  } catch (error) {
    return failed(deps, invocation, error);
  }
  if (pending instanceof Promise) {
    return pending.then(
      (answer) => answered(invocation, answer),
      (error: unknown) => failed(deps, invocation, error),
    );
  }
  return answered(invocation, pending);
}

function answered(invocation: Invocation, answer: MethodAnswer): DataPlaneResponse {
  // Integration answers also carry the trace id API Gateway forwarded to the integration, as AWS's
  // AWS_PROXY responses recorded by LocalStack show (X-Amzn-Trace-Id next to x-amzn-RequestId).
  const trace = invocation.addedHeaders["X-Amzn-Trace-Id"] ?? "";
  let headers: Record<string, string | string[]>;
  if (Object.hasOwn(answer.headers, "__proto__")) {
    headers = mergeHeaders<Record<string, string | string[]>>(answer.headers, {
      "X-Amzn-Trace-Id": trace,
      "x-amzn-RequestId": invocation.requestId,
      "x-amz-apigw-id": invocation.extendedRequestId,
    });
  } else {
    // mergeHeaders' result, one object fewer: a copy, then the three members (an existing one keeps
    // its place, as in a merge).
    headers = Object.assign({}, answer.headers);
    headers["X-Amzn-Trace-Id"] = trace;
    headers["x-amzn-RequestId"] = invocation.requestId;
    headers["x-amz-apigw-id"] = invocation.extendedRequestId;
  }
  return { status: answer.status, headers, body: answer.body };
}

function failed(deps: RestInvokeDeps, invocation: Invocation, error: unknown): DataPlaneResponse {
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
    { "x-amzn-RequestId": invocation.requestId, "x-amz-apigw-id": invocation.extendedRequestId },
  );
}

/**
 * The steps after the stage. A method with neither an authorizer, IAM nor an API key has nothing to
 * wait for before its integration, so those steps run only when the method needs them: each `await`
 * of an async step costs a promise and a microtask even when the step does nothing.
 */
function steps(deps: RestInvokeDeps, invocation: Invocation): MethodAnswer | Promise<MethodAnswer> {
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
  if (method.authorizationType !== "NONE" || method.apiKeyRequired === true) {
    return checkedSteps(deps, invocation);
  }
  applyResourcePolicy(invocation);
  validateRequest(invocation);
  return runIntegration(deps, invocation);
}

async function checkedSteps(deps: RestInvokeDeps, invocation: Invocation): Promise<MethodAnswer> {
  await authorise(deps, invocation);
  applyResourcePolicy(invocation);
  await checkApiKey(deps, invocation);
  validateRequest(invocation);
  return runIntegration(deps, invocation);
}
