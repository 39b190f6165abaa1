/**
 * TestInvokeMethod (POST /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}): runs
 * one method of the API's current, undeployed configuration — the console's "Test" button — and
 * answers {status, body, headers, multiValueHeaders, log, latency}.
 *
 * TestInvokeAuthorizer (POST /restapis/{restapi_id}/authorizers/{authorizer_id}) runs an authorizer's
 * function once (no cache, no policy decision) with the headers, query and stage variables given, and
 * answers {clientStatus, log, latency, principalId, policy}: clientStatus 0 when the authorizer
 * answered ("Value is 0 if the authorizer succeeded", API reference), else what the client would have
 * received (401, 500). Its method ARN names the stage "ESTestInvoke-stage" (unconfirmed).
 *
 * As on AWS, the test call skips authorisation and API keys (the developer guide: "the test invoke
 * bypasses authorization"), runs in the stage "test-invoke-stage" with the stage variables given, and
 * takes its path parameters from pathWithQueryString matched against the resource's path. The
 * integration, its mapping templates and the gateway responses run as they do at the invoke URL.
 *
 * The API's current configuration comes from the control plane's `currentSnapshot` (optional in
 * RestApiSnapshots): without it the operation is not registered, so the call answers the honest
 * not-implemented error.
 *
 * ## Gaps
 * - `log` is a short summary, not API Gateway's full execution log.
 * - clientCertificateId and additionalContext are ignored; TestInvokeAuthorizer answers no `authorization`
 *   or `claims` (Lambda authorizers only).
 */
import { type RestJsonResult, restJsonHandler } from "../../../aws/protocols/rest-json-operation.ts";
import type { DataPlaneRequest } from "../../../edge/data-plane.ts";
import type { ApiGatewayParts } from "../../execute-api/parts.ts";
import type { OperationHandler } from "../../service.ts";
import { apiNotFound, authorizerNotFound, methodNotFound, resourceNotFound } from "../control/errors.ts";
import type { Json, RestApiDeploymentSnapshot, RestApiSnapshots } from "../snapshot.ts";
import { GatewayError } from "./gateway-responses.ts";
import type { Invocation } from "./invocation.ts";
import { newInvocation, type RestInvokeDeps, requestIds, runInvocation } from "./invoke.ts";
import { authorizerRequest } from "./method-request.ts";

/** What both test operations take to stand for a client's request. */
interface TestCallInput {
  pathWithQueryString?: string;
  body?: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  stageVariables?: Record<string, string>;
}

interface TestInvokeAuthorizerInput extends TestCallInput {
  restApiId: string;
  authorizerId: string;
  additionalContext?: Record<string, string>;
}

interface TestInvokeMethodInput extends TestCallInput {
  restApiId: string;
  resourceId: string;
  httpMethod: string;
}

export const TEST_INVOKE_STAGE = "test-invoke-stage";

/** The operations, or none when the control plane cannot show the current configuration. */
export function testInvokeOperations(
  parts: ApiGatewayParts,
  snapshots: RestApiSnapshots,
  deps: RestInvokeDeps,
): Record<string, OperationHandler> {
  if (typeof snapshots.currentSnapshot !== "function") return {};
  const current = snapshots.currentSnapshot.bind(snapshots);
  return {
    TestInvokeMethod: restJsonHandler(
      parts.model,
      "TestInvokeMethod",
      async (input: TestInvokeMethodInput, context) => {
        const snapshot = await current(deps.storage, context.accountId, context.region, input.restApiId);
        if (snapshot === undefined) throw apiNotFound(context.accountId, input.restApiId);
        const resource = snapshot.resources.find((r) => r.id === input.resourceId);
        if (resource === undefined) throw resourceNotFound();
        const httpMethod = input.httpMethod.toUpperCase();
        const method = resource.resourceMethods?.[httpMethod];
        if (method === undefined) throw methodNotFound();
        return runTest(deps, snapshot, input, resource.path, httpMethod, context.accountId, context.region);
      },
    ),
    TestInvokeAuthorizer: restJsonHandler(
      parts.model,
      "TestInvokeAuthorizer",
      async (input: TestInvokeAuthorizerInput, context) => {
        const snapshot = await current(deps.storage, context.accountId, context.region, input.restApiId);
        if (snapshot === undefined) throw apiNotFound(context.accountId, input.restApiId);
        const authorizer = snapshot.authorizers[input.authorizerId];
        if (authorizer === undefined) throw authorizerNotFound();
        return runAuthorizerTest(deps, snapshot, authorizer, input, context.accountId, context.region);
      },
    ),
  };
}

async function runAuthorizerTest(
  deps: RestInvokeDeps,
  snapshot: RestApiDeploymentSnapshot,
  authorizer: Json,
  input: TestInvokeAuthorizerInput,
  accountId: string,
  region: string,
): Promise<RestJsonResult> {
  const started = Date.now();
  const receivedAt = deps.clock.now();
  const { invocation, rawPath, requestId } = testInvocation(
    snapshot,
    input,
    "GET",
    "/",
    accountId,
    region,
    receivedAt,
  );
  const arn = `arn:aws:execute-api:${region}:${accountId}:${snapshot.api.id}/ESTestInvoke-stage/GET${rawPath}`;
  const at = logTime(receivedAt);
  const lines = [
    `Execution log for request ${requestId}`,
    `${at} : Starting authorizer: ${String(authorizer.id)} for request: ${requestId}`,
  ];
  let clientStatus = 0;
  let answer: Record<string, unknown> | undefined;
  try {
    answer = await deps.authorizers.runOnce(authorizer, authorizerRequest(deps, invocation, arn));
    lines.push(`${at} : Authorizer result body before parsing: ${JSON.stringify(answer)}`);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    clientStatus = error.type === "UNAUTHORIZED" ? 401 : 500;
    lines.push(
      `${at} : ${error.type === "UNAUTHORIZED" ? "Unauthorized request" : "Execution failed due to configuration error"}: ${requestId}`,
    );
  }
  lines.push(`${at} : Authorizer completed with client status: ${clientStatus}`, "");
  const body: Record<string, unknown> = {
    clientStatus,
    log: lines.join("\n"),
    latency: Date.now() - started,
  };
  if (answer !== undefined) {
    body.principalId = String(answer.principalId ?? "");
    body.policy = JSON.stringify(answer.policyDocument);
  }
  return { body };
}

/** The request and invocation a test call stands for (stage "test-invoke-stage", no real client). */
function testInvocation(
  snapshot: RestApiDeploymentSnapshot,
  input: TestCallInput,
  httpMethod: string,
  defaultPath: string,
  accountId: string,
  region: string,
  receivedAt: Date,
): { invocation: Invocation; rawPath: string; rawQuery: string; requestId: string } {
  const [rawPath = "/", rawQuery = ""] = splitOnce(input.pathWithQueryString ?? defaultPath, "?");
  const rawHeaders: string[] = [];
  for (const [name, values] of Object.entries(input.multiValueHeaders ?? {})) {
    for (const value of values) rawHeaders.push(name, value);
  }
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (input.multiValueHeaders?.[name] === undefined) rawHeaders.push(name, value);
  }
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    headers[(rawHeaders[i] ?? "").toLowerCase()] = rawHeaders[i + 1] ?? "";
  const request: DataPlaneRequest = {
    method: httpMethod,
    id: snapshot.api.id,
    region,
    rawPath,
    rawQuery,
    headers,
    rawHeaders,
    body: Buffer.from(input.body ?? "", "utf8"),
    sourceIp: "test-invoke-source-ip",
    protocol: "HTTP/1.1",
    host: `${snapshot.api.id}.execute-api.${region}.localhost`,
    endpoint: "http://127.0.0.1",
    pathForm: false,
    signedPath: rawPath,
    receivedAt,
  };
  const ids = requestIds();
  const stage = {
    stageName: TEST_INVOKE_STAGE,
    deploymentId: "test-invoke-deployment-id",
    variables: input.stageVariables ?? {},
  };
  const invocation = newInvocation(
    request,
    { accountId, region, kind: "rest" },
    { stage, deployment: snapshot },
    rawPath,
    ids,
  );
  return { invocation, rawPath, rawQuery, requestId: ids.requestId };
}

async function runTest(
  deps: RestInvokeDeps,
  snapshot: RestApiDeploymentSnapshot,
  input: TestInvokeMethodInput,
  resourcePath: string,
  httpMethod: string,
  accountId: string,
  region: string,
): Promise<RestJsonResult> {
  const started = Date.now();
  const receivedAt = deps.clock.now();
  const { invocation, rawPath, rawQuery, requestId } = testInvocation(
    snapshot,
    input,
    httpMethod,
    resourcePath,
    accountId,
    region,
    receivedAt,
  );
  const ids = { requestId };
  // The test call names its resource; the path only supplies parameters, so route within that resource.
  const onlyThisResource = snapshot.resources.filter((r) => r.path === resourcePath);
  invocation.deployment = { ...snapshot, resources: onlyThisResource };
  const response = await runInvocation({ ...deps, skipAuthorization: true }, invocation);
  const latency = Date.now() - started;
  const body = response.body === undefined ? "" : Buffer.from(response.body).toString("utf8");
  const outHeaders: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    const values = Array.isArray(value) ? value : [value];
    outHeaders[name] = values.join(",");
    multiValueHeaders[name] = values;
  }
  const at = logTime(receivedAt);
  const log = [
    `Execution log for request ${ids.requestId}`,
    `${at} : Starting execution for request: ${ids.requestId}`,
    `${at} : HTTP Method: ${httpMethod}, Resource Path: ${rawPath}`,
    `${at} : Method request path: ${JSON.stringify(invocation.match?.pathParameters ?? {})}`,
    `${at} : Method request query string: ${rawQuery}`,
    `${at} : Method request body before transformations: ${input.body ?? ""}`,
    `${at} : Method response body after transformations: ${body}`,
    `${at} : Method completed with status: ${response.status}`,
    "",
  ].join("\n");
  return {
    body: { status: response.status, body, headers: outHeaders, multiValueHeaders, log, latency },
  };
}

/** The execution log's timestamps: "Thu Jul 19 09:59:18 UTC 2018" (Java's Date.toString in UTC). */
function logTime(date: Date): string {
  const [weekday, day, month, year, time] = date.toUTCString().replace(",", "").split(" ");
  return `${weekday} ${month} ${day} ${time} UTC ${year}`;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}
