/**
 * Payload format 1.0: the Lambda proxy event of REST APIs (AWS_PROXY) and of HTTP APIs whose
 * integration asks for `payloadFormatVersion: "1.0"`, and how the function's answer becomes the HTTP
 * response. The two front doors send the same shape with a few differences, which the caller states
 * through `EventContextV1`:
 *
 * | member | REST API | HTTP API |
 * |---|---|---|
 * | `version` | absent | `"1.0"` |
 * | `resource`, `requestContext.resourcePath` | the resource path (`/{proxy+}`) | the route's path, `$default` for the `$default` route |
 * | `requestContext.resourceId` | the resource id | the route key's path or `$default` (as resourcePath) |
 * | `requestContext.deploymentId` | present | absent |
 * | `requestContext.identity.cognitoAmr` | absent | null |
 * | `requestContext.authorizer` | when an authorizer ran | when an authorizer ran |
 *
 * Sources: API Gateway developer guide, "Input format of a Lambda function for proxy integration"
 * (REST) and "Create AWS Lambda proxy integrations for HTTP APIs" (the 1.0 example: `version`,
 * `multiValueHeaders`, `multiValueQueryStringParameters`); the REST event LocalStack recorded
 * against AWS (/work/shared/fixtures/aws-recorded/apigw-v1-proxy-event.localstack-snapshot.json:
 * null — never absent — queryStringParameters, multiValueQueryStringParameters, pathParameters,
 * stageVariables and body; identity members null when there is no caller); an HTTP API 1.0 event
 * captured from AWS in spring-cloud-function's CustomRuntimeEventLoopTest (2023-07: `resource` and
 * `resourceId`/`resourcePath` `$default`, `cognitoAmr` among the identity members, requestId equal
 * to extendedRequestId, no `authorizer` without an authorizer, Content-Length forwarded).
 *
 * Responses (developer guide, "Output format of a Lambda function for proxy integration"):
 * `statusCode`, `headers`, `multiValueHeaders` (merged with `headers`), `body` (a string),
 * `isBase64Encoded`.
 */
import { decodeComponent } from "../protocols/query-string.ts";
import { type HttpAnswer, type HttpRequestFacts, type MalformedAnswer, requestTime } from "./payload-v2.ts";

/** What the front door adds around the request. */
export interface EventContextV1 {
  /** "1.0" for HTTP APIs; REST APIs send no `version`. */
  version?: "1.0";
  /** Top-level `resource` and requestContext.resourcePath. */
  resource: string;
  /** requestContext.resourceId (REST: the resource's id; HTTP APIs: as `resource`). */
  resourceId: string | null;
  /** Top-level `path`. */
  path: string;
  /** requestContext.path (REST: with the stage prefix). */
  contextPath: string;
  accountId: string;
  apiId: string;
  domainName: string;
  domainPrefix: string;
  requestId: string;
  extendedRequestId: string;
  stage: string;
  /** REST only. */
  deploymentId?: string;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  /** requestContext.authorizer, when an authorizer ran. */
  authorizer?: Record<string, unknown>;
  /** HTTP APIs list `cognitoAmr` among the identity members; REST APIs do not. */
  identityHasCognitoAmr?: boolean;
  /** identity members that are not null for this request (REST: apiKey, apiKeyId; IAM callers). */
  identity?: Record<string, unknown>;
  /** Headers the front door adds (X-Forwarded-*, X-Amzn-Trace-Id), after the client's. */
  addedHeaders?: Record<string, string>;
  /** Whether a body of this Content-Type reaches the function base64-encoded. */
  isBinary(contentType: string | undefined): boolean;
}

/** Header names as sent: `headers` keeps the last value of a repeated header, `multiValueHeaders` all. */
export function eventHeadersV1(
  rawHeaders: readonly string[],
  added: Record<string, string> = {},
): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    addHeaderV1(headers, multiValueHeaders, rawHeaders[i] ?? "", rawHeaders[i + 1] ?? "");
  }
  for (const name in added) {
    // An added header replaces what the client sent under any spelling of its name.
    const lower = name.toLowerCase();
    for (const existing in headers) {
      if (existing.toLowerCase() === lower) {
        delete headers[existing];
        delete multiValueHeaders[existing];
      }
    }
    addHeaderV1(headers, multiValueHeaders, name, added[name] ?? "");
  }
  return { headers, multiValueHeaders };
}

/**
 * A module-level function, not a closure per call: tsx (esbuild keepNames) wraps every named closure in
 * a `__name` call that defines a property (~2% of a MOCK request's gateway time, profile of 24
 * November 2026).
 */
function addHeaderV1(
  headers: Record<string, string>,
  multiValueHeaders: Record<string, string[]>,
  name: string,
  value: string,
): void {
  headers[name] = value;
  const list = multiValueHeaders[name];
  if (list === undefined) multiValueHeaders[name] = [value];
  else list.push(value);
}

/** Decoded query parameters: the last value of a repeated key, and every value; nulls for no query. */
export function eventQueryV1(rawQuery: string): {
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
} {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decodeComponent(pair.slice(eq + 1));
    single[key] = value;
    const list = multi[key];
    if (list === undefined) multi[key] = [value];
    else list.push(value);
  }
  if (Object.keys(single).length === 0) {
    return { queryStringParameters: null, multiValueQueryStringParameters: null };
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

const IDENTITY_MEMBERS = [
  "accessKey",
  "accountId",
  "caller",
  "cognitoAmr",
  "cognitoAuthenticationProvider",
  "cognitoAuthenticationType",
  "cognitoIdentityId",
  "cognitoIdentityPoolId",
  "principalOrgId",
  "sourceIp",
  "user",
  "userAgent",
  "userArn",
] as const;

/** identity with every member null, in AWS's order: copied per event (faster than filling it member by member). */
const NULL_IDENTITY: Record<string, null> = Object.fromEntries(
  IDENTITY_MEMBERS.filter((m) => m !== "cognitoAmr").map((m) => [m, null]),
);
const NULL_IDENTITY_WITH_AMR: Record<string, null> = Object.fromEntries(
  IDENTITY_MEMBERS.map((m) => [m, null]),
);

/**
 * The event's requestContext; `userAgent` is the event's User-Agent header (identity.userAgent). REST
 * APIs build their `$context` from it alone, without the rest of the event.
 */
export function requestContextV1(
  request: HttpRequestFacts,
  context: EventContextV1,
  userAgent: string | undefined,
): Record<string, unknown> {
  const identity: Record<string, unknown> = {
    ...(context.identityHasCognitoAmr === true ? NULL_IDENTITY_WITH_AMR : NULL_IDENTITY),
  };
  identity.sourceIp = request.sourceIp;
  identity.userAgent = userAgent ?? null;
  if (context.identity !== undefined) Object.assign(identity, context.identity);

  const requestContext: Record<string, unknown> = {
    accountId: context.accountId,
    apiId: context.apiId,
  };
  if (context.authorizer !== undefined) requestContext.authorizer = context.authorizer;
  if (context.deploymentId !== undefined) requestContext.deploymentId = context.deploymentId;
  requestContext.domainName = context.domainName;
  requestContext.domainPrefix = context.domainPrefix;
  requestContext.extendedRequestId = context.extendedRequestId;
  requestContext.httpMethod = request.method;
  requestContext.identity = identity;
  requestContext.path = context.contextPath;
  requestContext.protocol = request.protocol;
  requestContext.requestId = context.requestId;
  requestContext.requestTime = requestTime(request.receivedAt);
  requestContext.requestTimeEpoch = request.receivedAt.getTime();
  requestContext.resourceId = context.resourceId;
  requestContext.resourcePath = context.resource;
  requestContext.stage = context.stage;
  return requestContext;
}

/** The format 1.0 event, members in the order API Gateway writes them. */
export function buildEventV1(request: HttpRequestFacts, context: EventContextV1): Record<string, unknown> {
  const { headers, multiValueHeaders } = eventHeadersV1(request.rawHeaders, context.addedHeaders);
  const requestContext = requestContextV1(request, context, headerValue(headers, "user-agent"));
  const event: Record<string, unknown> = {};
  if (context.version !== undefined) event.version = context.version;
  const query = eventQueryV1(request.rawQuery);
  event.resource = context.resource;
  event.path = context.path;
  event.httpMethod = request.method;
  event.headers = headers;
  event.multiValueHeaders = multiValueHeaders;
  event.queryStringParameters = query.queryStringParameters;
  event.multiValueQueryStringParameters = query.multiValueQueryStringParameters;
  event.requestContext = requestContext;
  event.pathParameters = context.pathParameters;
  event.stageVariables = context.stageVariables;
  if (request.body.length === 0) {
    event.body = null;
    event.isBase64Encoded = false;
  } else {
    const binary = context.isBinary(headerValue(headers, "content-type"));
    event.body = binary ? request.body.toString("base64") : request.body.toString("utf8");
    event.isBase64Encoded = binary;
  }
  return event;
}

function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === lowerName) return value;
  return undefined;
}

/**
 * The HTTP response for a function's format 1.0 answer: an object with a valid `statusCode`; headers
 * from `headers` and `multiValueHeaders` (repeated headers as arrays); a string `body`, decoded from
 * base64 when `isBase64Encoded`. Anything else is malformed (REST answers 502, HTTP APIs 500).
 */
export function mapResponseV1(payload: Buffer): HttpAnswer | MalformedAnswer {
  let answer: unknown;
  try {
    answer = JSON.parse(payload.toString("utf8"));
  } catch {
    return { malformed: "the function's answer is not JSON" };
  }
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) {
    return { malformed: "the function's answer is not an object" };
  }
  const record = answer as Record<string, unknown>;
  const status = statusCodeOf(record.statusCode);
  if (status === undefined) return { malformed: `statusCode ${JSON.stringify(record.statusCode)}` };
  const headers = mergedHeaders(record.headers, record.multiValueHeaders);
  if (typeof headers === "string") return { malformed: headers };
  const body = record.body;
  if (body !== undefined && body !== null && typeof body !== "string") {
    return { malformed: "body is not a string" };
  }
  const text = typeof body === "string" ? body : "";
  const bytes = record.isBase64Encoded === true ? Buffer.from(text, "base64") : Buffer.from(text, "utf8");
  return { status, headers, body: bytes };
}

function statusCodeOf(value: unknown): number | undefined {
  const n = typeof value === "string" && /^[0-9]+$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/**
 * `headers` and `multiValueHeaders` merged into one list per name ("If the same key-value pair is
 * specified in both, only the values from multiValueHeaders will appear"); a string names what is
 * malformed.
 */
function mergedHeaders(single: unknown, multi: unknown): Record<string, string | string[]> | string {
  const lists = new Map<string, { name: string; values: string[] }>();
  const add = (name: string, value: string) => {
    const entry = lists.get(name.toLowerCase());
    if (entry === undefined) lists.set(name.toLowerCase(), { name, values: [value] });
    else if (!entry.values.includes(value)) entry.values.push(value);
  };
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== "object" || Array.isArray(multi)) return "multiValueHeaders is not an object";
    for (const [name, values] of Object.entries(multi)) {
      if (values === null || values === undefined) continue;
      if (!Array.isArray(values)) return `multiValueHeaders.${name} is not an array`;
      for (const value of values) if (value !== null && value !== undefined) add(name, String(value));
    }
  }
  if (single !== undefined && single !== null) {
    if (typeof single !== "object" || Array.isArray(single)) return "headers is not an object";
    for (const [name, value] of Object.entries(single)) {
      if (value === null || value === undefined) continue;
      if (typeof value === "object") return `header ${name} is not a string`;
      add(name, String(value));
    }
  }
  const out: Record<string, string | string[]> = {};
  for (const { name, values } of lists.values()) out[name] = values.length === 1 ? (values[0] ?? "") : values;
  return out;
}
