/**
 * The integration step: calls the method's backend and turns its answer into the method response.
 *
 * - AWS_PROXY (Lambda): the proxy event (proxy-event.ts) in, proxy-response.ts out; a function error
 *   or a malformed answer is 502 {"message": "Internal server error"}.
 * - AWS (Lambda only): the integration request body (request-mapping.ts) in; a function error's
 *   errorMessage selects the integration response (integration-response.ts), whose `$input` is the
 *   error document.
 * - HTTP: a request to the uri with mapped path, query and headers only (and what the template set in
 *   `$context.requestOverride`); the status code selects.
 * - HTTP_PROXY: the client's method, headers, query and body to the uri (path parameters such as
 *   `{proxy}` substituted); the backend's answer returned as is.
 * - MOCK: the request template must give `{"statusCode": N}`; N selects the integration response.
 * - A backend slower than timeoutInMillis (default 29,000) is 504 {"message": "Endpoint request timed
 *   out"}; an unreachable HTTP backend 500 Internal server error; a Lambda function that does not exist
 *   (or cannot be called) 500 Internal server error.
 *
 * ## Gaps
 * - AWS integrations with services other than Lambda answer 500 Internal server error.
 */
import { isAwsError } from "../../../aws/errors.ts";
import type { FunctionInvoker } from "../../lambda/invoke/invoker.ts";
import type { IntegrationRecord } from "../snapshot.ts";
import { functionArnOf } from "./authorizers.ts";
import { GatewayError, integrationTimeout, internalServerError } from "./gateway-responses.ts";
import { type BackendAnswer, type MethodAnswer, mapIntegrationResponse } from "./integration-response.ts";
import { eventFacts, headerValue, type Invocation } from "./invocation.ts";
import { mock } from "./mock-integration.ts";
import { buildProxyEvent, forwardedHeaderList } from "./proxy-event.ts";
import { mapProxyResponse } from "./proxy-response.ts";
import {
  integrationRequest,
  integrationRequestBody,
  integrationRequestParameters,
} from "./request-mapping.ts";

export interface IntegrationDeps {
  invoker: Pick<FunctionInvoker, "invoke">;
}

const TIMEOUT_MS_DEFAULT = 29_000;
/** Headers not forwarded to an HTTP_PROXY backend or back from it (hop-by-hop, or recomputed). */
const HOP_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "host",
  "upgrade",
]);

/** 500 {"message": "Internal server error"} (DEFAULT_5XX with its own status). */
function serverError(): GatewayError {
  return new GatewayError("DEFAULT_5XX", "Internal server error", "InternalServerErrorException", 500);
}

async function withTimeout<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(integrationTimeout());
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function timeoutOf(integration: IntegrationRecord): number {
  const ms = Number(integration.timeoutInMillis ?? TIMEOUT_MS_DEFAULT);
  return Number.isFinite(ms) && ms >= 50 ? ms : TIMEOUT_MS_DEFAULT;
}

async function callLambda(
  deps: IntegrationDeps,
  invocation: Invocation,
  integration: IntegrationRecord,
  payload: Buffer,
): Promise<{ payload: Buffer; functionError: boolean }> {
  const functionArn = functionArnOf(integration.uri, invocation.stageVariables);
  if (functionArn === undefined) throw serverError();
  return withTimeout(timeoutOf(integration), async () => {
    try {
      const outcome = await deps.invoker.invoke({
        accountId: invocation.owner.accountId,
        region: invocation.owner.region,
        functionName: functionArn,
        payload,
        endpointUrl: invocation.request.endpoint,
      });
      // Lambda's Invoke answers 200 whether or not the function failed.
      invocation.integrationStatus = 200;
      return { payload: outcome.result.payload, functionError: outcome.result.functionError !== undefined };
    } catch (error) {
      if (isAwsError(error)) throw serverError();
      throw error;
    }
  });
}

/** The integration's answer; a MOCK's comes synchronously (nothing to wait for). */
export function runIntegration(
  deps: IntegrationDeps,
  invocation: Invocation,
): MethodAnswer | Promise<MethodAnswer> {
  const started = Date.now();
  let answer: MethodAnswer | Promise<MethodAnswer>;
  try {
    answer = integrate(deps, invocation);
  } catch (error) {
    invocation.integrationLatencyMs = Date.now() - started;
    throw error;
  }
  if (answer instanceof Promise) {
    return answer.finally(() => {
      invocation.integrationLatencyMs = Date.now() - started;
    });
  }
  invocation.integrationLatencyMs = Date.now() - started;
  return answer;
}

function integrate(deps: IntegrationDeps, invocation: Invocation): MethodAnswer | Promise<MethodAnswer> {
  const integration = invocation.match?.method.methodIntegration;
  if (integration === undefined) throw serverError();
  switch (integration.type) {
    case "AWS_PROXY":
      return awsProxy(deps, invocation, integration);
    case "AWS":
      return awsLambda(deps, invocation, integration);
    case "HTTP":
      return http(invocation, integration);
    case "HTTP_PROXY":
      return httpProxy(invocation, integration);
    case "MOCK":
      return mock(invocation, integration);
    default:
      throw serverError();
  }
}

async function awsProxy(
  deps: IntegrationDeps,
  invocation: Invocation,
  integration: IntegrationRecord,
): Promise<MethodAnswer> {
  const event = buildProxyEvent(eventFacts(invocation));
  const result = await callLambda(deps, invocation, integration, Buffer.from(JSON.stringify(event)));
  if (result.functionError) throw internalServerError();
  const mapped = mapProxyResponse(
    result.payload,
    headerValue(invocation, "accept"),
    invocation.deployment.api.binaryMediaTypes ?? [],
  );
  if (mapped === undefined) throw internalServerError();
  return mapped;
}

async function awsLambda(
  deps: IntegrationDeps,
  invocation: Invocation,
  integration: IntegrationRecord,
): Promise<MethodAnswer> {
  if (!/:lambda:path\//.test(integration.uri ?? "")) throw serverError();
  const body = integrationRequestBody(invocation, integration);
  // Lambda needs a JSON payload: an empty integration request is sent as {}.
  const result = await callLambda(
    deps,
    invocation,
    integration,
    body.length === 0 ? Buffer.from("{}") : body,
  );
  const answer: BackendAnswer = { headers: {}, body: result.payload };
  if (result.functionError) {
    try {
      const error = JSON.parse(result.payload.toString("utf8")) as Record<string, unknown>;
      answer.errorMessage = String(error.errorMessage ?? "");
    } catch {
      answer.errorMessage = result.payload.toString("utf8");
    }
  }
  return mapIntegrationResponse(invocation, integration, answer);
}

/** `${stageVariables.name}` in an integration URI ("http://${stageVariables.host}/pets"). */
function withStageVariables(uri: string | undefined, invocation: Invocation): string {
  return (uri ?? "").replace(
    /\$\{stageVariables\.([A-Za-z0-9_.:-]+)\}/g,
    (_whole, name: string) => invocation.stageVariables[name] ?? "",
  );
}

function substitutePath(uri: string, values: Record<string, string>): string {
  return uri.replace(/\{([^}]+?)\+?\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    // Greedy values keep their slashes; each segment is encoded.
    return value.split("/").map(encodeURIComponent).join("/");
  });
}

function withQuery(url: string, pairs: [string, string][]): string {
  if (pairs.length === 0) return url;
  const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  return `${url}${url.includes("?") ? "&" : "?"}${query}`;
}

async function fetchBackend(
  integration: IntegrationRecord,
  url: string,
  init: { method: string; headers: [string, string][]; body: Buffer | undefined },
): Promise<BackendAnswer & { status: number; rawHeaders: [string, string][] }> {
  return withTimeout(timeoutOf(integration), async (signal) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: init.method,
        headers: init.headers,
        ...(init.body !== undefined && init.body.length > 0 ? { body: init.body } : {}),
        redirect: "manual",
        signal,
      });
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      if (signal.aborted) throw integrationTimeout();
      throw serverError();
    }
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    const rawHeaders: [string, string][] = [];
    response.headers.forEach((value, name) => {
      headers[name] = value;
      rawHeaders.push([name, value]);
    });
    return { status: response.status, headers, rawHeaders, body };
  });
}

async function http(invocation: Invocation, integration: IntegrationRecord): Promise<MethodAnswer> {
  const parameters = integrationRequestParameters(invocation, integration);
  const { body, overrides } = integrationRequest(invocation, integration);
  // `$context.requestOverride.*` set by the template wins over the mapped parameters.
  Object.assign(parameters.path, overrides.path);
  Object.assign(parameters.querystring, overrides.querystring);
  Object.assign(parameters.header, overrides.header);
  const url = withQuery(
    substitutePath(withStageVariables(integration.uri, invocation), parameters.path),
    Object.entries(parameters.querystring),
  );
  const headers = Object.entries(parameters.header);
  if (!headers.some(([n]) => n.toLowerCase() === "content-type") && body.length > 0) {
    headers.push(["Content-Type", headerValue(invocation, "content-type") ?? "application/json"]);
  }
  const method = integration.httpMethod ?? invocation.request.method;
  const answer = await fetchBackend(integration, url, { method, headers, body });
  invocation.integrationStatus = answer.status;
  return mapIntegrationResponse(invocation, integration, answer);
}

async function httpProxy(invocation: Invocation, integration: IntegrationRecord): Promise<MethodAnswer> {
  const parameters = integrationRequestParameters(invocation, integration);
  const pathValues = { ...(invocation.match?.pathParameters ?? {}), ...parameters.path };
  let url = substitutePath(withStageVariables(integration.uri, invocation), pathValues);
  url = `${url}${invocation.request.rawQuery === "" ? "" : `${url.includes("?") ? "&" : "?"}${invocation.request.rawQuery}`}`;
  url = withQuery(url, Object.entries(parameters.querystring));
  const headers = forwardedHeaderList(invocation.request.rawHeaders, invocation.addedHeaders).filter(
    ([name]) => !HOP_HEADERS.has(name.toLowerCase()),
  );
  for (const [name, value] of Object.entries(parameters.header)) headers.push([name, value]);
  const method =
    integration.httpMethod === undefined || integration.httpMethod === "ANY"
      ? invocation.request.method
      : integration.httpMethod;
  const answer = await fetchBackend(integration, url, { method, headers, body: invocation.request.body });
  invocation.integrationStatus = answer.status;
  const out: Record<string, string> = {};
  for (const [name, value] of answer.rawHeaders) if (!HOP_HEADERS.has(name)) out[name] = value;
  return { status: answer.status, headers: out, body: answer.body };
}
