/**
 * The Lambda events an HTTP API sends, built with the shared payload modules
 * (src/aws/http-events/): the integration's format 2.0 or 1.0 event and the REQUEST authorizer's
 * events, from what the request and the earlier steps established.
 *
 * What HTTP APIs add to the client's headers, as events captured from AWS show them: x-amzn-trace-id,
 * x-forwarded-for, x-forwarded-port and x-forwarded-proto, and content-length ("0" for a request
 * without a body).
 */

import { buildEventV1 } from "../../../aws/http-events/payload-v1.ts";
import { buildEventV2, type EventContextV2, isTextContentType } from "../../../aws/http-events/payload-v2.ts";
import { portOf } from "../../execute-api/host-port.ts";
import { traceRoot } from "../../execute-api/request-ids.ts";
import type { ServedRequest } from "./served-request.ts";

export function addedHeaders(served: ServedRequest): Record<string, string> {
  const { request } = served;
  const port = portOf(request.host) ?? portOf(request.endpoint) ?? "80";
  const added: Record<string, string> = {};
  if (request.headers["content-length"] === undefined) added["content-length"] = String(request.body.length);
  added["x-amzn-trace-id"] = traceRoot(request.receivedAt);
  // A client's own X-Forwarded-For is kept, with the peer's address after it (as proxies chain it).
  const forwardedFor = request.headers["x-forwarded-for"];
  const chain = Array.isArray(forwardedFor) ? forwardedFor.join(", ") : forwardedFor;
  added["x-forwarded-for"] =
    chain === undefined || chain === "" ? request.sourceIp : `${chain}, ${request.sourceIp}`;
  added["x-forwarded-port"] = port;
  added["x-forwarded-proto"] = "http";
  return added;
}

/** requestContext.authorizer for format 2.0. */
function authorizerV2(served: ServedRequest): Record<string, unknown> | undefined {
  const authorizer = served.authorizer;
  if (authorizer === undefined) return undefined;
  if (authorizer.claims !== undefined)
    return { jwt: { claims: authorizer.claims, scopes: authorizer.scopes ?? null } };
  if (authorizer.context !== undefined) return { lambda: authorizer.context };
  if (authorizer.iam !== undefined) return { iam: authorizer.iam };
  return undefined;
}

/** requestContext.authorizer for format 1.0 (as REST APIs shape it). */
function authorizerV1(served: ServedRequest): Record<string, unknown> | undefined {
  const authorizer = served.authorizer;
  if (authorizer === undefined) return undefined;
  if (authorizer.claims !== undefined)
    return { claims: authorizer.claims, scopes: authorizer.scopes ?? null };
  if (authorizer.context !== undefined) {
    return {
      ...authorizer.context,
      ...(authorizer.principalId !== undefined ? { principalId: authorizer.principalId } : {}),
      integrationLatency: 0,
    };
  }
  return undefined;
}

export function integrationEventV2(served: ServedRequest): Record<string, unknown> {
  const context: EventContextV2 = {
    accountId: served.owner.accountId,
    apiId: served.apiId,
    domainName: served.domainName,
    domainPrefix: served.domainPrefix,
    requestId: served.requestId,
    routeKey: served.match?.route.routeKey ?? "$default",
    stage: served.stageName ?? "$default",
    addedHeaders: addedHeaders(served),
  };
  const authorizer = authorizerV2(served);
  if (authorizer !== undefined) context.authorizer = authorizer;
  const pathParameters = served.match?.pathParameters;
  if (pathParameters !== undefined) context.pathParameters = pathParameters;
  const variables = stageVariables(served);
  if (variables !== undefined) context.stageVariables = variables;
  return buildEventV2(served.request, context);
}

export function integrationEventV1(served: ServedRequest): Record<string, unknown> {
  const resource = served.match?.resourcePath ?? "$default";
  const authorizer = authorizerV1(served);
  return buildEventV1(v1HeaderNames(served.request), {
    version: "1.0",
    resource,
    resourceId: resource,
    // HTTP APIs pass the path as sent, stage prefix included, in both places.
    path: served.request.rawPath,
    contextPath: served.request.rawPath,
    accountId: served.owner.accountId,
    apiId: served.apiId,
    domainName: served.domainName,
    domainPrefix: served.domainPrefix,
    requestId: served.requestId,
    extendedRequestId: served.requestId,
    stage: served.stageName ?? "$default",
    pathParameters: served.match?.pathParameters ?? null,
    stageVariables: stageVariables(served) ?? null,
    ...(authorizer !== undefined ? { authorizer } : {}),
    identityHasCognitoAmr: true,
    ...(served.authorizer?.iam !== undefined ? { identity: iamIdentity(served.authorizer.iam) } : {}),
    addedHeaders: capitalised(addedHeaders(served)),
    isBinary: (contentType) => !isTextContentType(contentType),
  });
}

/** routeArn / methodArn: `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}{path}`. */
export function routeArn(served: ServedRequest): string {
  return (
    `arn:aws:execute-api:${served.owner.region}:${served.owner.accountId}:${served.apiId}/` +
    `${served.stageName ?? "$default"}/${served.request.method}${served.path ?? served.request.rawPath}`
  );
}

/** The REQUEST authorizer's event, format 2.0 (developer guide, "Working with AWS Lambda authorizers"). */
export function authorizerEventV2(served: ServedRequest, identity: string[]): Record<string, unknown> {
  const {
    body: _body,
    isBase64Encoded: _base64,
    version: _version,
    ...rest
  } = integrationEventV2({
    ...served,
    authorizer: undefined,
  });
  return { version: "2.0", type: "REQUEST", routeArn: routeArn(served), identitySource: identity, ...rest };
}

/** The REQUEST authorizer's event, format 1.0. */
export function authorizerEventV1(served: ServedRequest, identity: string[]): Record<string, unknown> {
  const {
    body: _body,
    isBase64Encoded: _base64,
    version: _version,
    ...rest
  } = integrationEventV1({
    ...served,
    authorizer: undefined,
  });
  const joined = identity.join(",");
  return {
    version: "1.0",
    type: "REQUEST",
    methodArn: routeArn(served),
    identitySource: joined,
    authorizationToken: joined,
    ...rest,
  };
}

/** Format 1.0 identity members of an IAM caller. */
function iamIdentity(iam: Record<string, unknown>): Record<string, unknown> {
  return {
    accessKey: iam.accessKey,
    accountId: iam.accountId,
    caller: iam.callerId,
    user: iam.userId,
    userArn: iam.userArn,
  };
}

function stageVariables(served: ServedRequest): Record<string, string> | undefined {
  const variables = served.snapshot?.stage.stageVariables;
  return variables !== undefined && Object.keys(variables).length > 0 ? variables : undefined;
}

/**
 * HTTP APIs hand format 1.0 events some header names in lower case whatever the client sent: AWS
 * recorded `accept` and `accept-encoding` from curl and Postman, which send `Accept` and
 * `Accept-Encoding` (test/fixtures/apigateway/http-api-v1-event.json), while other names (Host,
 * User-Agent, Content-Type, Postman-Token) kept the client's case. Only the names seen so are
 * lowered.
 */
const LOWERED_V1 = new Set(["accept", "accept-encoding"]);

function v1HeaderNames(request: ServedRequest["request"]): ServedRequest["request"] {
  const rawHeaders = request.rawHeaders.map((item, i) =>
    i % 2 === 0 && LOWERED_V1.has(item.toLowerCase()) ? item.toLowerCase() : item,
  );
  return { ...request, rawHeaders };
}

/** Format 1.0 events show the added headers with capitalised names (X-Forwarded-For...). */
function capitalised(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase())] =
      value;
  }
  return out;
}
