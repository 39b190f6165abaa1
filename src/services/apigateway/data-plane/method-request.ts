/**
 * The method request's checks: authorisation (CUSTOM Lambda authorizers, AWS_IAM SigV4 for the
 * service execute-api), the API's resource policy, and API keys with their usage plans.
 *
 * AWS_IAM refusals (AWS knowledge center "troubleshoot 403"): unsigned → 403 Missing Authentication
 * Token; an unknown key → 403 AccessDeniedException "The security token included in the request is
 * invalid."; a wrong signature → 403 InvalidSignatureException.
 */
import { verifySigV4 } from "../../../aws/sigv4/verify.ts";
import { type AuthorizerRequest, configurationError } from "./authorizers.ts";
import {
  GatewayError,
  invalidApiKey,
  invalidSignature,
  missingAuthenticationToken,
} from "./gateway-responses.ts";
import {
  contextVariables,
  eventFacts,
  headerValue,
  type Invocation,
  methodArn,
  queryValue,
} from "./invocation.ts";
import type { RestInvokeDeps } from "./invoke.ts";
import { buildProxyEvent } from "./proxy-event.ts";
import { checkResourcePolicy } from "./resource-policy.ts";

export async function authorise(deps: RestInvokeDeps, invocation: Invocation): Promise<void> {
  const method = invocation.match?.method;
  if (method === undefined) return;
  switch (method.authorizationType) {
    case "CUSTOM": {
      const authorizer = invocation.deployment.authorizers[method.authorizerId ?? ""];
      if (authorizer === undefined) throw configurationError();
      invocation.authorizer = await deps.authorizers.authorize(
        authorizer,
        authorizerRequest(deps, invocation, methodArn(invocation)),
        `${invocation.apiId}/${invocation.stage.stageName}`,
      );
      return;
    }
    case "AWS_IAM": {
      const { request } = invocation;
      const outcome = await verifySigV4(
        {
          method: request.method,
          rawPath: request.signedPath,
          rawQuery: request.rawQuery,
          headers: request.headers,
          body: request.body,
        },
        { credentials: deps.credentials, now: deps.clock.now(), s3: false },
      );
      if (!outcome.ok) {
        if (outcome.failure.kind === "missing") throw missingAuthenticationToken();
        if (outcome.failure.kind === "unknown-key") {
          // AWS knowledge center "troubleshoot 403": AccessDeniedException with this text.
          throw new GatewayError(
            "ACCESS_DENIED",
            "The security token included in the request is invalid.",
            "AccessDeniedException",
          );
        }
        throw invalidSignature(
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        );
      }
      if (outcome.service !== "execute-api") {
        throw invalidSignature(`Credential should be scoped to correct service: 'execute-api'. `);
      }
      Object.assign(invocation.identity, {
        accountId: outcome.accountId,
        caller: outcome.accountId,
        accessKey: outcome.accessKeyId,
        user: outcome.accountId,
        userArn: `arn:aws:iam::${outcome.accountId}:root`,
      });
      return;
    }
    default:
      // NONE (COGNITO_USER_POOLS is refused by the control plane's absence of user pools).
      if (method.authorizationType === "COGNITO_USER_POOLS") {
        throw new GatewayError("UNAUTHORIZED", "Unauthorized", "UnauthorizedException");
      }
  }
}

/** What an authorizer reads from this invocation, and how it calls its function. */
export function authorizerRequest(
  deps: RestInvokeDeps,
  invocation: Invocation,
  arn: string,
): AuthorizerRequest {
  return {
    methodArn: arn,
    header: (name) => headerValue(invocation, name),
    query: (name) => queryValue(invocation, name),
    stageVariables: invocation.stageVariables,
    context: contextVariables(invocation),
    requestEventMembers: () => {
      const { body: _body, isBase64Encoded: _b64, ...members } = buildProxyEvent(eventFacts(invocation));
      return members;
    },
    invoke: async (functionArn, event) => {
      const outcome = await deps.invoker.invoke({
        accountId: invocation.owner.accountId,
        region: invocation.owner.region,
        functionName: functionArn,
        payload: Buffer.from(JSON.stringify(event)),
        endpointUrl: invocation.request.endpoint,
      });
      let payload: unknown;
      try {
        payload = JSON.parse(outcome.result.payload.toString("utf8"));
      } catch {
        payload = undefined;
      }
      return { payload, functionError: outcome.result.functionError !== undefined };
    },
  };
}

export async function checkApiKey(deps: RestInvokeDeps, invocation: Invocation): Promise<void> {
  const method = invocation.match?.method;
  if (method?.apiKeyRequired !== true) return;
  const source = invocation.deployment.api.apiKeySource ?? "HEADER";
  const value =
    source === "AUTHORIZER"
      ? invocation.authorizer?.usageIdentifierKey
      : headerValue(invocation, "x-api-key");
  if (value === undefined || value === "") throw invalidApiKey();
  const { owner, apiId } = invocation;
  const stageName = invocation.stage.stageName;
  const key = await deps.snapshots.apiKeyByValue(deps.storage, owner.accountId, owner.region, value);
  if (key === undefined || key.enabled === false) throw invalidApiKey();
  const keyId = String(key.id);
  const plans = await deps.snapshots.usagePlansForStage(
    deps.storage,
    owner.accountId,
    owner.region,
    apiId,
    stageName,
  );
  const plan = plans.find((p) => p.keyIds.includes(keyId));
  if (plan === undefined) throw invalidApiKey();
  Object.assign(invocation.identity, { apiKey: value, apiKeyId: keyId });
  deps.limits.checkPlan(
    plan.plan,
    keyId,
    apiId,
    stageName,
    invocation.match?.resource.path ?? "",
    method.httpMethod,
  );
}

/** The API's resource policy for this caller (unsigned, or the IAM caller authorise() found). */
export function applyResourcePolicy(invocation: Invocation): void {
  const { policy } = invocation.deployment.api;
  // Most APIs have no policy: the method ARN and caller record were ~0.3 µs per request for nothing.
  if (typeof policy !== "string" || policy.trim() === "") return;
  const { owner } = invocation;
  const accountId = invocation.identity.accountId;
  checkResourcePolicy(
    policy,
    methodArn(invocation),
    `arn:aws:execute-api:${owner.region}:${owner.accountId}:${invocation.apiId}`,
    {
      sourceIp: invocation.request.sourceIp,
      ...(typeof accountId === "string" ? { accountId, arn: String(invocation.identity.userArn) } : {}),
    },
  );
}
