/**
 * The REST API Lambda proxy event (payload format 1.0, AWS_PROXY integrations) as API Gateway sends
 * it, and the `$context` variables it shares its requestContext with. The members are built by the
 * shared format 1.0 builder (payload-v1.ts); this file says what REST puts in them.
 *
 * Sources: API Gateway developer guide, "Input format of a Lambda function for proxy integration"
 * (member order, requestContext members); the event LocalStack recorded from a real REST API
 * (/work/shared/fixtures/aws-recorded/apigw-v1-proxy-event.localstack-snapshot.json: null — never
 * absent — queryStringParameters, multiValueQueryStringParameters, pathParameters, stageVariables and
 * body; header names as sent, `headers` holding the last value and `multiValueHeaders` every value;
 * identity members null where there is no caller; `path` without the stage, requestContext.path with
 * it); LocalStack's AWS_PROXY integration (Authorization and User-Agent names capitalised as
 * CloudFront forwards them, Content-Length and Connection not forwarded).
 *
 * ## Gaps
 * - No CloudFront-* / Via / X-Amz-Cf-Id headers: Stratus's invoke URLs are regional endpoints, which
 *   have no CloudFront in front.
 */
import { buildEventV1, type EventContextV1, requestContextV1 } from "../../../aws/http-events/payload-v1.ts";
import { decodeComponent } from "../../../aws/protocols/query-string.ts";
import type { DataPlaneRequest } from "../../../edge/data-plane.ts";

/** Headers a front door never forwards to the integration. */
const DROPPED_HEADERS = new Set(["content-length", "connection"]);
/** Headers whose names reach the function capitalised (CloudFront forwards them so). */
const CAPITALISED: Record<string, string> = { authorization: "Authorization", "user-agent": "User-Agent" };

export interface ProxyEventFacts {
  request: DataPlaneRequest;
  /** The resource path ("/{proxy+}"). */
  resourcePath: string;
  resourceId: string;
  /** The request path below the stage, as sent ("/a/b"). */
  path: string;
  stage: string;
  pathParameters: Record<string, string>;
  stageVariables: Record<string, string> | undefined;
  accountId: string;
  apiId: string;
  deploymentId: string;
  domainName: string;
  requestId: string;
  extendedRequestId: string;
  /** Headers API Gateway adds (X-Forwarded-*, X-Amzn-Trace-Id), after the client's. */
  addedHeaders: Record<string, string>;
  /** requestContext.authorizer, when an authorizer ran. */
  authorizer?: Record<string, unknown>;
  /** identity members besides the nulls (apiKey, apiKeyId; IAM caller's accessKey, accountId...). */
  identity?: Record<string, unknown>;
  binaryMediaTypes: readonly string[];
}

/**
 * Header names and values as forwarded: `[name, value]` in order, names as sent, then the headers API
 * Gateway adds (replacing any the client sent under the same name).
 */
export function forwardedHeaderList(
  rawHeaders: readonly string[],
  added: Record<string, string>,
): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? "";
    const lower = name.toLowerCase();
    if (DROPPED_HEADERS.has(lower)) continue;
    if (Object.keys(added).some((a) => a.toLowerCase() === lower)) continue;
    out.push([CAPITALISED[lower] ?? name, rawHeaders[i + 1] ?? ""]);
  }
  for (const [name, value] of Object.entries(added)) out.push([name, value]);
  return out;
}

/** Decoded query pairs in order. */
export function queryPairs(rawQuery: string): [string, string][] {
  const out: [string, string][] = [];
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    out.push([
      decodeComponent(eq < 0 ? pair : pair.slice(0, eq)),
      eq < 0 ? "" : decodeComponent(pair.slice(eq + 1)),
    ]);
  }
  return out;
}

/** Whether a Content-Type (or Accept) value is one of the API's binary media types (`*` wildcards). */
export function isBinaryMediaType(value: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (value === undefined || binaryMediaTypes.length === 0) return false;
  const types = value.split(",").map((t) => (t.split(";")[0] ?? "").trim().toLowerCase());
  return types.some((type) => {
    const [major, minor] = type.split("/");
    return binaryMediaTypes.some((pattern) => {
      const [pMajor, pMinor] = pattern.toLowerCase().replace(/~1/g, "/").split("/");
      return (pMajor === "*" || pMajor === major) && (pMinor === "*" || pMinor === minor);
    });
  });
}

/**
 * The proxy event, built by the shared payload format 1.0 builder (src/aws/http-events/payload-v1.ts)
 * with REST's members: the resource id, deploymentId, the stage in requestContext.path, no `version`.
 * The headers are those API Gateway forwards (see forwardedHeaderList).
 */
export function buildProxyEvent(facts: ProxyEventFacts): Record<string, unknown> {
  const { request } = facts;
  const forwarded = forwardedHeaderList(request.rawHeaders, facts.addedHeaders).flat();
  return buildEventV1({ ...request, rawHeaders: forwarded }, eventContext(facts));
}

function eventContext(facts: ProxyEventFacts): EventContextV1 {
  return {
    resource: facts.resourcePath,
    resourceId: facts.resourceId,
    path: facts.path,
    contextPath: `/${facts.stage}${facts.path}`,
    accountId: facts.accountId,
    apiId: facts.apiId,
    domainName: facts.domainName,
    domainPrefix: facts.apiId,
    requestId: facts.requestId,
    extendedRequestId: facts.extendedRequestId,
    stage: facts.stage,
    deploymentId: facts.deploymentId,
    pathParameters: Object.keys(facts.pathParameters).length > 0 ? { ...facts.pathParameters } : null,
    stageVariables:
      facts.stageVariables !== undefined && Object.keys(facts.stageVariables).length > 0
        ? { ...facts.stageVariables }
        : null,
    ...(facts.authorizer !== undefined ? { authorizer: facts.authorizer } : {}),
    ...(facts.identity !== undefined ? { identity: facts.identity } : {}),
    isBinary: (contentType) => isBinaryMediaType(contentType, facts.binaryMediaTypes),
  };
}

/**
 * requestContext, which is also what `$context` reads: the proxy event's, built without the rest of
 * the event (its header maps, query maps and body cost more than the context itself; every mapping
 * template and access log line needs a `$context`). Building whole events for `$context` was ~35% of
 * the gateway's time for a MOCK method (profile, 24 November 2026).
 */
export function requestContextOf(facts: ProxyEventFacts): Record<string, unknown> {
  return requestContextV1(facts.request, eventContext(facts), forwardedUserAgent(facts));
}

/**
 * The User-Agent the event's headers carry: the client's last one, whatever its spelling (every
 * spelling is forwarded as "User-Agent", see CAPITALISED), unless API Gateway adds its own.
 */
function forwardedUserAgent(facts: ProxyEventFacts): string | undefined {
  let added: string | undefined;
  for (const name in facts.addedHeaders)
    if (name.toLowerCase() === "user-agent") added = facts.addedHeaders[name];
  if (added !== undefined) return added;
  const raw = facts.request.rawHeaders;
  let found: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? "";
    if (name.length === 10 && name.toLowerCase() === "user-agent") found = raw[i + 1];
  }
  return found;
}
