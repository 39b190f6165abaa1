/**
 * Payload format 2.0: the event an HTTP request becomes for a Lambda function, and how the function's
 * answer becomes the HTTP response. Lambda function URLs use it as is; API Gateway HTTP APIs use the
 * same shapes (their routeKey, stage, pathParameters and stageVariables are filled by the caller).
 *
 * Sources: the Lambda developer guide, "Invoking Lambda function URLs" (request and response payloads,
 * cookies, the inferred response); events captured from real function URLs (key order, `accountId`
 * "anonymous" for NONE, `body` absent without a body, `queryStringParameters` absent without a query);
 * LocalStack's AWS-validated snapshots of function URL answers (recorded 2025-11-24: a returned string
 * is sent without its JSON quotes, objects and arrays are sent as compact JSON, `Content-Type:
 * application/json` when the function names none); a comparison against real HTTP APIs (ministack
 * PR #766) for which bodies are text: `text/*`, application/json, application/xml and
 * application/javascript; everything else, a missing Content-Type included, is base64.
 *
 * ## Gaps
 * - Media types with a `+json`/`+xml` suffix are treated as binary (unconfirmed either way).
 */
import { decodeComponent } from "../protocols/query-string.ts";

/** What an HTTP request carried, as the event needs it. */
export interface HttpRequestFacts {
  method: string;
  /** As sent (percent-encoded), starting with "/". */
  rawPath: string;
  /** Everything after `?`, or "". */
  rawQuery: string;
  /** `[name, value, name, value, ...]` in arrival order, names as sent. */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  /** "HTTP/1.1". */
  protocol: string;
  receivedAt: Date;
}

/** What the integration adds around the request. */
export interface EventContextV2 {
  accountId: string;
  apiId: string;
  domainName: string;
  domainPrefix: string;
  requestId: string;
  /** "$default" for function URLs. */
  routeKey: string;
  stage: string;
  /** `{ iam: {...} }` for IAM-authorised requests; absent otherwise. */
  authorizer?: Record<string, unknown>;
  /** Headers the front door adds (x-forwarded-for, x-amzn-trace-id...), after the client's. */
  addedHeaders?: Record<string, string>;
  /** API Gateway only. */
  pathParameters?: Record<string, string>;
  /** API Gateway only. */
  stageVariables?: Record<string, string>;
}

/** Content types whose bodies reach the function as text; every other body is base64. */
const TEXT_TYPES = new Set(["application/json", "application/xml", "application/javascript"]);

export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  return mediaType.startsWith("text/") || TEXT_TYPES.has(mediaType);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/**
 * The last second formatted: requests arrive thousands a second, so most reuse it (formatting, with a
 * closure per call, was ~4% of a MOCK request's gateway time in a profile of 24 November 2026).
 */
let formattedSecond = Number.NaN;
let formattedTime = "";

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `24/Nov/2026:18:00:00 +0000`, the requestContext.time format. */
export function requestTime(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second === formattedSecond) return formattedTime;
  formattedTime =
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
  formattedSecond = second;
  return formattedTime;
}

/**
 * Header names lower-cased, repeated headers joined with "," (as format 2.0 does); the Cookie header
 * is not among them: its cookies are the event's `cookies`.
 */
export function eventHeaders(rawHeaders: readonly string[]): {
  headers: Record<string, string>;
  cookies: string[];
} {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? "").toLowerCase();
    const value = rawHeaders[i + 1] ?? "";
    if (name === "cookie") {
      for (const cookie of value.split(";")) {
        const trimmed = cookie.trim();
        if (trimmed !== "") cookies.push(trimmed);
      }
      continue;
    }
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return { headers, cookies };
}

/** Decoded query parameters, repeated keys joined with ","; undefined for an empty query. */
export function queryParameters(rawQuery: string): Record<string, string> | undefined {
  if (rawQuery === "") return undefined;
  const out: Record<string, string> = {};
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decodeComponent(pair.slice(eq + 1));
    const previous = out[key];
    out[key] = previous === undefined ? value : `${previous},${value}`;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The format 2.0 event, members in the order Lambda writes them. */
export function buildEventV2(request: HttpRequestFacts, context: EventContextV2): Record<string, unknown> {
  const { headers, cookies } = eventHeaders(request.rawHeaders);
  Object.assign(headers, context.addedHeaders);
  const event: Record<string, unknown> = {
    version: "2.0",
    routeKey: context.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQuery,
  };
  if (cookies.length > 0) event.cookies = cookies;
  event.headers = headers;
  const query = queryParameters(request.rawQuery);
  if (query !== undefined) event.queryStringParameters = query;
  if (context.pathParameters !== undefined) event.pathParameters = context.pathParameters;
  if (context.stageVariables !== undefined) event.stageVariables = context.stageVariables;
  const requestContext: Record<string, unknown> = {
    accountId: context.accountId,
    apiId: context.apiId,
  };
  if (context.authorizer !== undefined) requestContext.authorizer = context.authorizer;
  Object.assign(requestContext, {
    domainName: context.domainName,
    domainPrefix: context.domainPrefix,
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: headers["user-agent"] ?? "",
    },
    requestId: context.requestId,
    routeKey: context.routeKey,
    stage: context.stage,
    time: requestTime(request.receivedAt),
    timeEpoch: request.receivedAt.getTime(),
  });
  event.requestContext = requestContext;
  if (request.body.length > 0) {
    const text = isTextContentType(headers["content-type"]);
    event.body = text ? request.body.toString("utf8") : request.body.toString("base64");
    event.isBase64Encoded = !text;
  } else {
    event.isBase64Encoded = false;
  }
  return event;
}

export interface HttpAnswer {
  status: number;
  /** Set-Cookie as an array, every other header a string. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** The function's answer could not be turned into a response (API Gateway and function URLs: 502). */
export interface MalformedAnswer {
  malformed: string;
}

/**
 * The HTTP response for a function's answer. An object with `statusCode` is a response description
 * (statusCode, headers, cookies, body, isBase64Encoded); anything else that is JSON is the body of a
 * 200 `application/json` response: a string as its text, any other value as compact JSON.
 */
export function mapResponseV2(payload: Buffer): HttpAnswer | MalformedAnswer {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString("utf8"));
  } catch {
    return { malformed: "the function's answer is not JSON" };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value) || !("statusCode" in value)) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return { status: 200, headers: { "Content-Type": "application/json" }, body: Buffer.from(text) };
  }
  return describedResponse(value as Record<string, unknown>);
}

function describedResponse(answer: Record<string, unknown>): HttpAnswer | MalformedAnswer {
  const status = statusOf(answer.statusCode);
  if (status === undefined) return { malformed: `statusCode ${JSON.stringify(answer.statusCode)}` };
  const headers: Record<string, string | string[]> = {};
  const given = answer.headers;
  if (given !== undefined && given !== null) {
    if (typeof given !== "object" || Array.isArray(given)) return { malformed: "headers is not an object" };
    for (const [name, value] of Object.entries(given)) {
      if (value === null || value === undefined) continue;
      if (typeof value === "object") return { malformed: `header ${name} is not a string` };
      headers[name] = String(value);
    }
  }
  if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
    headers["Content-Type"] = "application/json";
  }
  const cookies = answer.cookies;
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies)) return { malformed: "cookies is not an array" };
    const setCookie = cookies.filter((c): c is string => typeof c === "string");
    if (setCookie.length > 0) headers["Set-Cookie"] = setCookie;
  }
  return { status, headers, body: bodyOf(answer.body, answer.isBase64Encoded === true) };
}

function statusOf(value: unknown): number | undefined {
  const n = typeof value === "string" && /^[0-9]+$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

function bodyOf(body: unknown, base64: boolean): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return base64 ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  // A body that is not a string is sent as its JSON (what front doors do with an object body).
  return Buffer.from(JSON.stringify(body), "utf8");
}
