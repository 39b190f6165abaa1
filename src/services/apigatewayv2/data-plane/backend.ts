/**
 * HTTP API invoke URLs: the execute-api data plane hands each request for an HTTP API here with the
 * API's owner. The steps, in order (each in its own file):
 *
 *   stage (route-match.ts: first segment or `$default`; none → 404, not logged)
 *   → deployed snapshot (none → 404) → disabled default endpoint (→ 403)
 *   → CORS preflight (cors.ts: answered here, 204) → route (route-match.ts; none → 404)
 *   → throttling (throttle.ts; → 429)
 *   → authorization: JWT (jwt-authorizer.ts), CUSTOM (lambda-authorizer.ts), AWS_IAM (iam-auth.ts)
 *   → integration: AWS_PROXY to Lambda (lambda-integration.ts), HTTP_PROXY (http-proxy.ts)
 *   → CORS headers → access log (access-log.ts)
 *
 * Every answer carries `apigw-requestid`, the request's id (request-id.ts), which is also the
 * event's requestContext.requestId.
 *
 * ## Gaps
 * - AWS_PROXY integrations with an integrationSubtype (SQS, EventBridge, Step Functions...) and
 *   private integrations answer 500; mutual TLS and custom domain names are not emulated.
 */
import type { DataPlaneRequest, DataPlaneResponse } from "../../../edge/data-plane.ts";
import type { ApiIdOwner } from "../../execute-api/api-ids.ts";
import type { ExecuteApiBackend } from "../../execute-api/data-plane.ts";
import { mergeHeaders } from "../../execute-api/headers.ts";
import type { ApiGatewayParts } from "../../execute-api/parts.ts";
import type { HttpApiSnapshots, HttpApiStageSnapshot, RouteRecord } from "../snapshot.ts";
import { writeAccessLog } from "./access-log.ts";
import { gatewayAnswer } from "./answers.ts";
import { isPreflight, preflightHeaders, withCorsHeaders } from "./cors.ts";
import { forwardHttp } from "./http-proxy.ts";
import { verifyExecuteApiCaller } from "./iam-auth.ts";
import { JwtAuthorizers } from "./jwt-authorizer.ts";
import { LambdaAuthorizers } from "./lambda-authorizer.ts";
import { invokeLambdaIntegration } from "./lambda-integration.ts";
import { httpApiRequestId } from "./request-id.ts";
import { matchRoute, selectStage } from "./route-match.ts";
import type { ServedRequest } from "./served-request.ts";
import { RouteThrottle } from "./throttle.ts";

const TARGET = /^integrations\/(.+)$/;

export function httpApiBackend(parts: ApiGatewayParts, snapshots: HttpApiSnapshots): ExecuteApiBackend {
  const { deps } = parts;
  const nowMs = () => deps.clock.now().getTime();
  const throttle = new RouteThrottle(nowMs);
  const jwt = new JwtAuthorizers(nowMs);
  const lambdaAuthorizers = new LambdaAuthorizers(parts.lambda.invoker, nowMs);

  async function serve(served: ServedRequest): Promise<DataPlaneResponse> {
    const { request, owner, apiId, requestId } = served;
    const selected = await selectStage(request.rawPath, (stageName) =>
      snapshots.hasStage(deps.storage, owner.accountId, owner.region, apiId, stageName),
    );
    if (selected === undefined) return gatewayAnswer("Not Found", requestId);
    const snapshot = await snapshots.stageSnapshot(
      deps.storage,
      owner.accountId,
      owner.region,
      apiId,
      selected.stageName,
    );
    if (snapshot === undefined) return gatewayAnswer("Not Found", requestId);
    Object.assign(served, { snapshot, stageName: selected.stageName, path: selected.path });
    if (snapshot.api.disableExecuteApiEndpoint === true) return gatewayAnswer("Forbidden", requestId);

    const cors = snapshot.api.corsConfiguration;
    if (cors !== undefined && isPreflight(request.method, request.headers)) {
      return {
        status: 204,
        headers: mergeHeaders(preflightHeaders(cors, request.headers), { "apigw-requestid": requestId }),
      };
    }
    const match = matchRoute(snapshot.routes, request.method, selected.path);
    if (match === undefined) return gatewayAnswer("Not Found", requestId);
    served.match = match;
    if (!throttle.admit(apiId, snapshot.stage, match.route.routeKey)) {
      return gatewayAnswer("Too Many Requests", requestId);
    }
    const refusal = await authorize(served, snapshot, match.route);
    if (refusal !== undefined) return refusal;
    return integrate(served, snapshot, match.route);
  }

  /** Runs the route's authorization; an answer when the request is refused. */
  async function authorize(
    served: ServedRequest,
    snapshot: HttpApiStageSnapshot,
    route: RouteRecord,
  ): Promise<DataPlaneResponse | undefined> {
    const type = route.authorizationType ?? "NONE";
    if (type === "NONE") return undefined;
    if (type === "AWS_IAM") {
      const iam = await verifyExecuteApiCaller(served.request, deps.credentials, deps.clock.now());
      if (iam === undefined) return gatewayAnswer("Forbidden", served.requestId);
      served.authorizer = { iam };
      return undefined;
    }
    const authorizer =
      route.authorizerId === undefined ? undefined : snapshot.authorizers[route.authorizerId];
    if (authorizer === undefined) return gatewayAnswer("Internal Server Error", served.requestId);
    if (type === "JWT") {
      const outcome = await jwt.authorize(authorizer, route, served);
      if (!outcome.admitted) {
        const description = /error_description="([^"]*)"/.exec(outcome.wwwAuthenticate ?? "")?.[1];
        served.authorizer = { error: description ?? (outcome.status === 401 ? "Unauthorized" : "Forbidden") };
        const extra: Record<string, string> =
          outcome.wwwAuthenticate === undefined ? {} : { "www-authenticate": outcome.wwwAuthenticate };
        return gatewayAnswer(outcome.status === 401 ? "Unauthorized" : "Forbidden", served.requestId, extra);
      }
      served.authorizer = { claims: outcome.claims, scopes: outcome.scopes ?? undefined };
      return undefined;
    }
    const outcome = await lambdaAuthorizers.authorize(authorizer, served);
    if (!outcome.admitted) {
      if (outcome.error !== undefined) served.authorizer = { error: outcome.error };
      const message =
        outcome.status === 401
          ? "Unauthorized"
          : outcome.status === 403
            ? "Forbidden"
            : "Internal Server Error";
      return gatewayAnswer(message, served.requestId);
    }
    served.authorizer = {
      context: outcome.context,
      ...(outcome.principalId !== undefined ? { principalId: outcome.principalId } : {}),
    };
    return undefined;
  }

  async function integrate(
    served: ServedRequest,
    snapshot: HttpApiStageSnapshot,
    route: RouteRecord,
  ): Promise<DataPlaneResponse> {
    const integrationId = TARGET.exec(route.target ?? "")?.[1];
    const integration = integrationId === undefined ? undefined : snapshot.integrations[integrationId];
    // A route without an integration has nothing to serve it (unconfirmed answer).
    if (integration === undefined) return gatewayAnswer("Not Found", served.requestId);
    if (integration.integrationType === "AWS_PROXY" && integration.integrationSubtype === undefined) {
      return invokeLambdaIntegration(parts.lambda.invoker, deps.logger, integration, served);
    }
    if (integration.integrationType === "HTTP_PROXY" && integration.connectionType !== "VPC_LINK") {
      return forwardHttp(integration, served);
    }
    deps.logger.debug(`HTTP API ${served.apiId}: integration ${integration.integrationId} is not emulated`);
    served.integration = { error: "This integration type is not emulated by Stratus" };
    return gatewayAnswer("Internal Server Error", served.requestId);
  }

  return {
    async handle(request: DataPlaneRequest, owner: ApiIdOwner): Promise<DataPlaneResponse> {
      const apiId = request.id.toLowerCase();
      const served: ServedRequest = {
        request,
        owner,
        apiId,
        requestId: httpApiRequestId(),
        domainName: request.pathForm
          ? `${apiId}.execute-api.localhost`
          : request.host.replace(/:[0-9]+$/, ""),
        domainPrefix: apiId,
      };
      let answer = await serve(served);
      const cors = served.snapshot?.api.corsConfiguration;
      if (cors !== undefined && answer.status !== 204) {
        answer = { ...answer, headers: withCorsHeaders(cors, request.headers, answer.headers) };
      }
      served.status = answer.status;
      served.responseLength = answer.body === undefined ? 0 : Buffer.byteLength(answer.body);
      served.doneAt = deps.clock.now();
      if (served.snapshot !== undefined) writeAccessLog(parts.logs, deps.logger, served);
      return answer;
    },
  };
}
