/**
 * What the steps of one invoke-URL request share: the request, the deployment it reached, the route,
 * what the authorizer said; and the views the steps read from it ($context, method.request.*, the
 * proxy event's facts, the method ARN).
 */
import type { DataPlaneRequest } from "../../../edge/data-plane.ts";
import type { ApiIdOwner } from "../../execute-api/api-ids.ts";
import type { RestApiDeploymentSnapshot, StageRecord } from "../snapshot.ts";
import type { AuthorizerOutcome } from "./authorizers.ts";
import { type ProxyEventFacts, queryPairs, requestContextOf } from "./proxy-event.ts";
import type { ResourceMatch } from "./resource-match.ts";

export interface Invocation {
  request: DataPlaneRequest;
  owner: ApiIdOwner;
  apiId: string;
  stage: StageRecord;
  deployment: RestApiDeploymentSnapshot;
  stageVariables: Record<string, string>;
  requestId: string;
  extendedRequestId: string;
  /** The path below the stage, as sent ("/a/b"). */
  path: string;
  domainName: string;
  /** Headers API Gateway adds for integrations (X-Forwarded-*, X-Amzn-Trace-Id). */
  addedHeaders: Record<string, string>;
  match?: ResourceMatch;
  authorizer?: AuthorizerOutcome;
  /** identity members set by API keys or IAM (apiKey, apiKeyId, accessKey...). */
  identity: Record<string, unknown>;
  /** The refusal the request got, for access logs ($context.error.*). */
  error?: { message: string; type: string };
  /** The backend's status and how long it took, for access logs. */
  integrationStatus?: number;
  integrationLatencyMs?: number;
}

/** A request header's last value (case-insensitive). */
export function headerValue(invocation: Invocation, name: string): string | undefined {
  const raw = invocation.request.rawHeaders;
  const lower = name.toLowerCase();
  let found: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const candidate = raw[i] ?? "";
    // Lengths first: most names differ in length, and lower-casing each one allocated a string.
    if (candidate.length === lower.length && candidate.toLowerCase() === lower) found = raw[i + 1];
  }
  return found;
}

/** A query parameter's last value. */
export function queryValue(invocation: Invocation, name: string): string | undefined {
  let found: string | undefined;
  for (const [key, value] of queryPairs(invocation.request.rawQuery)) if (key === name) found = value;
  return found;
}

/** `method.request.{path|querystring|header}.X`. */
export function methodRequestValue(
  invocation: Invocation,
  location: string,
  name: string,
): string | undefined {
  switch (location) {
    case "path":
      return invocation.match?.pathParameters[name];
    case "querystring":
      return queryValue(invocation, name);
    case "header":
      return headerValue(invocation, name);
    default:
      return undefined;
  }
}

export function eventFacts(invocation: Invocation): ProxyEventFacts {
  const match = invocation.match;
  return {
    request: invocation.request,
    resourcePath: match?.resource.path ?? "",
    resourceId: match?.resource.id ?? "",
    path: invocation.path,
    stage: invocation.stage.stageName,
    pathParameters: match?.pathParameters ?? {},
    stageVariables: invocation.stageVariables,
    accountId: invocation.owner.accountId,
    apiId: invocation.apiId,
    deploymentId: invocation.deployment.deploymentId,
    domainName: invocation.domainName,
    requestId: invocation.requestId,
    extendedRequestId: invocation.extendedRequestId,
    addedHeaders: invocation.addedHeaders,
    ...(invocation.authorizer !== undefined ? { authorizer: invocation.authorizer.authorizer } : {}),
    identity: invocation.identity,
    binaryMediaTypes: invocation.deployment.api.binaryMediaTypes ?? [],
  };
}

/** `$context`: the proxy event's requestContext plus the template-only members. */
export function contextVariables(invocation: Invocation): Record<string, unknown> {
  const context = requestContextOf(eventFacts(invocation));
  context.authorizer = invocation.authorizer?.authorizer ?? {};
  context.resourcePath = invocation.match?.resource.path ?? "";
  return context;
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path without its leading /}`. */
export function methodArn(invocation: Invocation): string {
  const { owner, apiId, stage, request } = invocation;
  return `arn:aws:execute-api:${owner.region}:${owner.accountId}:${apiId}/${stage.stageName}/${request.method}/${invocation.path.replace(/^\//, "")}`;
}
