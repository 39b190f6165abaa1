/**
 * Integrations: CreateIntegration (201), GetIntegration, GetIntegrations, UpdateIntegration (PATCH),
 * DeleteIntegration (204). HTTP APIs take AWS_PROXY (a Lambda function: its ARN, or API Gateway's
 * `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations` form) and
 * HTTP_PROXY (a URL with an integrationMethod); AWS, HTTP and MOCK are WebSocket-only.
 *
 * Defaults as AWS answers them: connectionType INTERNET, timeoutInMillis 30000, integrationMethod POST
 * for Lambda. payloadFormatVersion: Lambda proxies of HTTP APIs must name 1.0 or 2.0 (developer
 * guide); every other integration takes only 1.0, its default here. timeoutInMillis 50–30000 for HTTP
 * APIs (quotas page).
 *
 * ## Gaps
 * - AWS service integrations (AWS_PROXY with integrationSubtype) are stored, not validated.
 * - VPC links are not checked to exist; TLS config is stored as given.
 * - Validation texts are Stratus's (unconfirmed); AWS answers 400 BadRequestException for each case.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvStore } from "../../../storage/kv.ts";
import type { IntegrationRecord, RouteRecord } from "../snapshot.ts";
import { autoDeploy } from "./deploy.ts";
import { badRequest, conflict, integrationNotFound } from "./errors.ts";
import { compact, optInteger, optObject, optString, optStringMap } from "./input.ts";
import { childId, nowIso, page, requireApi, type StoredApi, scopeOf } from "./records.ts";
import { deleteChild, getChild, listChildren, putChild } from "./store.ts";

type Body = Record<string, unknown> & { ApiId: string; IntegrationId?: string };

const INTEGRATION_TYPES = ["AWS", "HTTP", "MOCK", "HTTP_PROXY", "AWS_PROXY"] as const;
const LAMBDA_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]+(:[a-zA-Z0-9$_-]+)?$/;
const LAMBDA_PATH_URI =
  /^arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(arn:[^/]+)\/invocations$/;
export const TIMEOUT_MS_MIN = 50;
export const TIMEOUT_MS_MAX = 30000;

/** The Lambda function ARN an AWS_PROXY integration URI names (either form), or undefined. */
export function lambdaArnOf(uri: string): string | undefined {
  if (LAMBDA_ARN.test(uri)) return uri;
  const match = LAMBDA_PATH_URI.exec(uri);
  return match?.[1] !== undefined && LAMBDA_ARN.test(match[1]) ? match[1] : undefined;
}

/** Checks the combination AWS checks; the record has every member the request gave and the defaults. */
export function validateIntegration(record: IntegrationRecord, api: StoredApi): IntegrationRecord {
  if (!(INTEGRATION_TYPES as readonly string[]).includes(record.integrationType)) {
    throw badRequest(`Invalid integration type specified: ${String(record.integrationType)}`);
  }
  const http = api.protocolType === "HTTP";
  if (http && !["AWS_PROXY", "HTTP_PROXY"].includes(record.integrationType)) {
    throw badRequest(`Integration type ${record.integrationType} is not supported for HTTP APIs`);
  }
  const timeout = record.timeoutInMillis;
  if (timeout !== undefined && (timeout < TIMEOUT_MS_MIN || (http && timeout > TIMEOUT_MS_MAX))) {
    throw badRequest(
      `Timeout must be between ${TIMEOUT_MS_MIN} milliseconds and ${TIMEOUT_MS_MAX} milliseconds.`,
    );
  }
  const pfv = record.payloadFormatVersion;
  if (pfv !== undefined && pfv !== "1.0" && pfv !== "2.0") {
    throw badRequest(`Invalid payload format version specified: ${String(pfv)}`);
  }
  if (record.integrationType === "AWS_PROXY" && record.integrationSubtype === undefined) {
    const uri = record.integrationUri;
    if (uri === undefined) throw badRequest("IntegrationUri is required for AWS_PROXY integrations");
    if (lambdaArnOf(uri) === undefined) throw badRequest(`Invalid integration URI specified: ${uri}`);
  } else if (pfv === "2.0") {
    throw badRequest("Payload format version 2.0 is only supported for Lambda proxy integrations");
  }
  if (record.integrationType === "HTTP_PROXY" && http) {
    const uri = record.integrationUri;
    if (uri === undefined) throw badRequest("IntegrationUri is required for HTTP_PROXY integrations");
    if (record.connectionType !== "VPC_LINK" && !/^https?:\/\/[^/\s]+/.test(uri)) {
      throw badRequest(`Invalid HTTP endpoint specified for URI: ${uri}`);
    }
    if (record.integrationMethod === undefined) {
      throw badRequest("IntegrationMethod is required for HTTP_PROXY integrations");
    }
  }
  return record;
}

/** The members of Create/UpdateIntegration a request may set, read from its body. */
function integrationMembers(body: Body): Partial<IntegrationRecord> {
  return compact({
    connectionId: optString(body, "connectionId"),
    connectionType: optString(body, "connectionType"),
    contentHandlingStrategy: optString(body, "contentHandlingStrategy"),
    credentialsArn: optString(body, "credentialsArn"),
    description: optString(body, "description"),
    integrationMethod: optString(body, "integrationMethod"),
    integrationSubtype: optString(body, "integrationSubtype"),
    integrationType: optString(body, "integrationType") as IntegrationRecord["integrationType"] | undefined,
    integrationUri: optString(body, "integrationUri"),
    passthroughBehavior: optString(body, "passthroughBehavior"),
    payloadFormatVersion: optString(
      body,
      "payloadFormatVersion",
    ) as IntegrationRecord["payloadFormatVersion"],
    requestParameters: optStringMap(body, "requestParameters"),
    requestTemplates: optStringMap(body, "requestTemplates"),
    responseParameters: optObject(body, "responseParameters") as IntegrationRecord["responseParameters"],
    templateSelectionExpression: optString(body, "templateSelectionExpression"),
    timeoutInMillis: optInteger(body, "timeoutInMillis"),
    tlsConfig: optObject(body, "tlsConfig"),
  });
}

/** A new integration with AWS's defaults filled in (also used by quick create and ImportApi). */
export function newIntegration(members: Partial<IntegrationRecord>, api: StoredApi): IntegrationRecord {
  const type = members.integrationType;
  if (type === undefined) throw badRequest("IntegrationType is required");
  const lambda = type === "AWS_PROXY" && members.integrationSubtype === undefined;
  // "If you create a Lambda integration by using the AWS CLI, CloudFormation, or an SDK, you must
  // specify a payloadFormatVersion" (developer guide, Lambda proxy integrations for HTTP APIs).
  if (lambda && api.protocolType === "HTTP" && members.payloadFormatVersion === undefined) {
    throw badRequest("PayloadFormatVersion is required for AWS_PROXY integrations of HTTP APIs");
  }
  return validateIntegration(
    {
      connectionType: "INTERNET",
      ...(lambda ? { integrationMethod: "POST" } : {}),
      ...(api.protocolType === "HTTP"
        ? { payloadFormatVersion: "1.0" as const, timeoutInMillis: TIMEOUT_MS_MAX }
        : {}),
      ...members,
      integrationId: childId(7),
      integrationType: type,
    },
    api,
  );
}

async function requireIntegration(
  store: KvStore,
  body: Body,
  context: RequestContext,
): Promise<IntegrationRecord> {
  const scope = scopeOf(context, body.ApiId);
  await requireApi(store, scope);
  const id = body.IntegrationId ?? "";
  const integration = await getChild<IntegrationRecord>(store, scope, "integration", id);
  if (integration === undefined) throw integrationNotFound(id);
  return integration;
}

export function integrationOperations(store: KvStore) {
  return {
    CreateIntegration: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      const integration = await store.transaction(async (tx) => {
        const api = await requireApi(tx, scope);
        const record = newIntegration(integrationMembers(body), api);
        putChild(tx, scope, "integration", record.integrationId, record);
        await autoDeploy(tx, scope, nowIso(context));
        return record;
      });
      return { status: 201, body: integration };
    },
    GetIntegration: async (body: Body, context: RequestContext): Promise<RestJsonResult> => ({
      body: await requireIntegration(store, body, context),
    }),
    GetIntegrations: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await requireApi(store, scope);
      const items = await listChildren<IntegrationRecord>(store, scope, "integration");
      return { body: page(items, body.MaxResults, body.NextToken) };
    },
    UpdateIntegration: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      const updated = await store.transaction(async (tx) => {
        const api = await requireApi(tx, scope);
        const id = body.IntegrationId ?? "";
        const current = await getChild<IntegrationRecord>(tx, scope, "integration", id);
        if (current === undefined) throw integrationNotFound(id);
        const record = validateIntegration({ ...current, ...integrationMembers(body) }, api);
        putChild(tx, scope, "integration", id, record);
        await autoDeploy(tx, scope, nowIso(context));
        return record;
      });
      return { body: updated };
    },
    DeleteIntegration: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        const id = body.IntegrationId ?? "";
        if ((await getChild(tx, scope, "integration", id)) === undefined) throw integrationNotFound(id);
        const users = (await listChildren<RouteRecord>(tx, scope, "route")).filter(
          (route) => route.target === `integrations/${id}`,
        );
        // A route's target must name a live integration (unconfirmed text; AWS refuses with 409).
        if (users.length > 0) {
          throw conflict(`Cannot delete integration ${id}: it is the target of route ${users[0]?.routeKey}`);
        }
        deleteChild(tx, scope, "integration", id);
        await autoDeploy(tx, scope, nowIso(context));
      });
      return { status: 204 };
    },
  };
}
