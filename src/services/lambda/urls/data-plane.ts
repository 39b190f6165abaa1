/**
 * The function URLs themselves: `http://{url-id}.lambda-url.{region}.localhost:{port}/...` and
 * `http://{stratus}/_aws/lambda-url/{url-id}/...`, served through the edge's data-plane mechanism
 * (src/edge/data-plane.ts). A request is, in order: found by its URL id (403 `{"Message":null}` when
 * none), answered by CORS if it is a preflight, authenticated (AuthType AWS_IAM: SigV4 for `lambda`,
 * else 403 Forbidden), turned into a payload format 2.0 event (src/aws/http-events/payload-v2.ts),
 * run through the in-process invoker, and the function's answer mapped back to HTTP.
 *
 * Answers recorded from Lambda (LocalStack snapshots, 2025-11-24, and its validated tests): unknown URL
 * id 403 `{"Message":null}` with `x-amzn-ErrorType: AccessDeniedException`; refused authorisation (and
 * a URL whose alias is gone) 403 `{"Message":"Forbidden. For troubleshooting Function URL authorization
 * issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"}`; function error 502 with
 * the body `Internal Server Error`; `x-amzn-RequestId` is the invocation's request id. Throttling is a
 * 429 (Lambda developer guide, "Throttling function URLs"); its body is unconfirmed.
 *
 * ## Gaps
 * - InvokeMode RESPONSE_STREAM is stored but answered buffered: the function's whole answer is sent when
 *   it ends. Functions written with `awslambda.streamifyResponse` fail (Stratus's runtimes have no
 *   streaming API), which the URL answers 502.
 * - Over plain HTTP there is no x-amzn-tls-* header in the event.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { isAwsError } from "../../../aws/errors.ts";
import { buildEventV2, mapResponseV2 } from "../../../aws/http-events/payload-v2.ts";
import type { DataPlane, DataPlaneRequest, DataPlaneResponse } from "../../../edge/data-plane.ts";
import type { ServiceDeps } from "../../service.ts";
import type { FunctionInvoker } from "../invoke/invoker.ts";
import type { LambdaStore } from "../store.ts";
import { isPreflight, preflightHeaders, withCorsHeaders } from "./cors.ts";
import { iamAuthorizer, verifyIamCaller } from "./iam-auth.ts";
import { findByUrlId, URL_LABEL } from "./url-store.ts";

export interface FunctionUrlDeps {
  store: LambdaStore;
  invoker: FunctionInvoker;
  deps: Pick<ServiceDeps, "credentials" | "logger">;
}

/** Lambda's synchronous payload quota (6 MB), which bounds a URL's request too. */
const URL_BODY_BYTES_MAX = 6 * 1024 * 1024;
const FORBIDDEN =
  "Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html";

export function functionUrlDataPlane(deps: FunctionUrlDeps): DataPlane {
  return {
    name: "Lambda function URL",
    label: URL_LABEL,
    bodyBytesMax: URL_BODY_BYTES_MAX,
    bodyTooLarge: (limit) =>
      errorAnswer(
        413,
        "RequestEntityTooLargeException",
        `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      ),
    handle: (request) => serveUrl(deps, request),
  };
}

async function serveUrl(deps: FunctionUrlDeps, request: DataPlaneRequest): Promise<DataPlaneResponse> {
  const { store, invoker } = deps;
  const config = await findByUrlId(store.storage, request.id.toLowerCase());
  if (!config || (request.region !== undefined && request.region !== config.region)) {
    return errorAnswer(403, "AccessDeniedException", null);
  }
  if (config.cors !== undefined && isPreflight(request.method, request.headers)) {
    return { status: 200, headers: { ...preflightHeaders(config.cors, request.headers) }, body: "" };
  }
  let authorizer: Record<string, unknown> | undefined;
  if (config.authType === "AWS_IAM") {
    const caller = await verifyIamCaller(request, deps.deps.credentials, store.clock.now());
    if (!caller) return errorAnswer(403, "AccessDeniedException", FORBIDDEN);
    authorizer = iamAuthorizer(caller);
  }

  const requestId = randomUUID();
  const trace = traceId(request.receivedAt);
  const event = buildEventV2(request, {
    accountId: config.authType === "AWS_IAM" ? config.accountId : "anonymous",
    apiId: config.urlId,
    domainName: request.pathForm
      ? `${config.urlId}.${URL_LABEL}.${config.region}.localhost`
      : hostname(request.host),
    domainPrefix: config.urlId,
    requestId,
    routeKey: "$default",
    stage: "$default",
    ...(authorizer !== undefined ? { authorizer } : {}),
    addedHeaders: forwardedHeaders(request, trace),
  });

  let outcome: Awaited<ReturnType<FunctionInvoker["invoke"]>>;
  try {
    outcome = await invoker.invoke({
      accountId: config.accountId,
      region: config.region,
      functionName: config.name,
      qualifier: config.qualifier,
      payload: Buffer.from(JSON.stringify(event)),
      endpointUrl: request.endpoint,
      requestId,
    });
  } catch (error) {
    return invokeRefused(error);
  }

  const ids = { "x-amzn-RequestId": requestId, "X-Amzn-Trace-Id": trace };
  const mapped =
    outcome.result.functionError === undefined ? mapResponseV2(outcome.result.payload) : undefined;
  if (mapped === undefined || "malformed" in mapped) {
    if (mapped !== undefined) deps.deps.logger.debug(`function URL ${config.urlId}: ${mapped.malformed}`);
    return {
      status: 502,
      headers: { "Content-Type": "application/json", ...ids },
      body: "Internal Server Error",
    };
  }
  const headers =
    config.cors !== undefined
      ? withCorsHeaders(config.cors, request.headers, mapped.headers)
      : mapped.headers;
  return { status: mapped.status, headers: { ...headers, ...ids }, body: mapped.body };
}

/** What the invoker's refusals become at the URL: the function or alias gone, throttling. */
function invokeRefused(error: unknown): DataPlaneResponse {
  if (!isAwsError(error)) throw error;
  switch (error.code) {
    case "ResourceNotFoundException":
      // The alias (or function) the URL names no longer exists: Lambda refuses the call.
      return errorAnswer(403, "AccessDeniedException", FORBIDDEN);
    case "TooManyRequestsException":
      return errorAnswer(429, "TooManyRequestsException", "Rate Exceeded.");
    default:
      // Pending (never long in Stratus) and anything else the invoker refuses.
      return {
        status: 502,
        headers: { "Content-Type": "application/json", "x-amzn-RequestId": randomUUID() },
        body: "Internal Server Error",
      };
  }
}

function errorAnswer(status: number, errorType: string, message: string | null): DataPlaneResponse {
  return {
    status,
    headers: {
      "Content-Type": "application/json",
      "x-amzn-RequestId": randomUUID(),
      "x-amzn-ErrorType": errorType,
    },
    body: JSON.stringify({ Message: message }),
  };
}

/** What Lambda's front door adds to the client's headers (it also adds x-amzn-tls-* over HTTPS). */
function forwardedHeaders(request: DataPlaneRequest, trace: string): Record<string, string> {
  const port = /:([0-9]+)$/.exec(request.host)?.[1] ?? /:([0-9]+)$/.exec(request.endpoint)?.[1] ?? "80";
  return {
    "x-amzn-trace-id": trace,
    "x-forwarded-proto": "http",
    "x-forwarded-port": port,
    "x-forwarded-for": request.sourceIp,
  };
}

function hostname(host: string): string {
  return host.replace(/:[0-9]+$/, "");
}

/** An X-Ray trace header: `Root=1-{epoch seconds, hex}-{96 random bits, hex}`. */
function traceId(at: Date): string {
  return `Root=1-${Math.floor(at.getTime() / 1000).toString(16)}-${randomBytes(12).toString("hex")}`;
}
