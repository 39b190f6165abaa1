/**
 * HTTP_PROXY integrations (developer guide, "Create HTTP proxy integrations for HTTP APIs"): the
 * request is sent on to `integrationUri` with the client's method (or integrationMethod unless it is
 * ANY), headers, query string and body, and the backend's response comes back as is. Route path
 * variables may appear in the URI (`https://backend/{proxy}`); for the `$default` route the full
 * request path (below the stage) is appended, as the guide's petstore example shows.
 *
 * Failures: a backend that cannot be reached is 500 `{"message":"Internal Server Error"}` (unconfirmed
 * text for this case); no answer within timeoutInMillis is 503 `{"message":"Service Unavailable"}`.
 *
 * requestParameters and responseParameters apply (parameter-mapping.ts).
 *
 * ## Gaps
 * - Only http:// and https:// URIs; VPC links (connectionType VPC_LINK) are not emulated.
 */
import { parseQuery } from "../../../aws/protocols/query-string.ts";
import type { DataPlaneResponse } from "../../../edge/data-plane.ts";
import { mergeHeaders } from "../../execute-api/headers.ts";
import type { IntegrationRecord } from "../snapshot.ts";
import { gatewayAnswer } from "./answers.ts";
import { INTEGRATION_TIMEOUT_MS_MAX } from "./lambda-integration.ts";
import { mapRequest, mapResponse } from "./parameter-mapping.ts";
import { DEFAULT_ROUTE } from "./route-match.ts";
import type { ServedRequest } from "./served-request.ts";

/** Headers that belong to one connection (RFC 9110 §7.6.1) or that fetch sets itself. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

/** The backend URL without its query: route variables and stage variables substituted. */
export function backendBase(integration: IntegrationRecord, served: ServedRequest): string {
  const params = served.match?.pathParameters ?? {};
  let uri = (integration.integrationUri ?? "").replace(/\{([^{}]+?)\+?\}/g, (whole, name: string) =>
    params[name] !== undefined ? encodeURI(params[name]) : whole,
  );
  uri = uri.replace(
    /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g,
    (_, name: string) => served.snapshot?.stage.stageVariables?.[name] ?? "",
  );
  if (served.match?.route.routeKey === DEFAULT_ROUTE) uri = uri.replace(/\/+$/, "") + (served.path ?? "/");
  return uri;
}

export async function forwardHttp(
  integration: IntegrationRecord,
  served: ServedRequest,
): Promise<DataPlaneResponse> {
  const { request } = served;
  const configured = (integration.integrationMethod ?? "ANY").toUpperCase();
  const method = configured === "ANY" ? request.method : configured;
  const forwarded: [string, string][] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] ?? "";
    if (!HOP_BY_HOP.has(name.toLowerCase())) forwarded.push([name, request.rawHeaders[i + 1] ?? ""]);
  }
  const query: [string, string][] = [];
  for (const [key, values] of parseQuery(request.rawQuery))
    for (const value of values) query.push([key, value]);
  const mapped = mapRequest(integration.requestParameters, served, { headers: forwarded, query });
  const url = new URL(backendBase(integration, served));
  if (mapped.path !== undefined) url.pathname = mapped.path;
  const queryMapped = Object.keys(integration.requestParameters ?? {}).some((key) =>
    key.includes(":querystring."),
  );
  // The client's query goes through as it was encoded unless a mapping changed it.
  const search = queryMapped
    ? mapped.query.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join("&")
    : request.rawQuery;
  url.search = search === "" ? "" : `?${search}`;
  const headers = new Headers();
  for (const [name, value] of mapped.headers) headers.append(name, value);
  headers.set("x-forwarded-for", request.sourceIp);
  headers.set("x-forwarded-proto", "http");
  const timeoutMs = Math.min(
    integration.timeoutInMillis ?? INTEGRATION_TIMEOUT_MS_MAX,
    INTEGRATION_TIMEOUT_MS_MAX,
  );
  const startedMs = Date.now();
  let response: Response;
  let body: Buffer;
  try {
    response = await fetch(url.toString(), {
      method,
      headers,
      ...(request.body.length > 0 && method !== "GET" && method !== "HEAD" ? { body: request.body } : {}),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    served.integration = {
      latencyMs: Date.now() - startedMs,
      error: timedOut ? "The integration timed out" : `The backend could not be reached: ${String(error)}`,
    };
    return gatewayAnswer(timedOut ? "Service Unavailable" : "Internal Server Error", served.requestId);
  }
  served.integration = { latencyMs: Date.now() - startedMs, status: response.status };
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    // fetch decodes compressed bodies, so the encoding and length headers no longer describe them.
    if (HOP_BY_HOP.has(name) || name === "content-encoding" || name === "set-cookie") return;
    out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  const answer = mapResponse(integration.responseParameters, served, {
    status: response.status,
    headers: out,
    body,
  });
  return { ...answer, headers: mergeHeaders(answer.headers, { "apigw-requestid": served.requestId }) };
}
