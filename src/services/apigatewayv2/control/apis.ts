/**
 * APIs: CreateApi (201), GetApi, GetApis, UpdateApi (PATCH), DeleteApi (204), DeleteCorsConfiguration
 * (204). Ids come from the id space REST and HTTP APIs share (../../execute-api/api-ids.ts), so an
 * invoke URL names exactly one API.
 *
 * Quick create (Target, optionally RouteKey and CredentialsArn; HTTP APIs only — API reference,
 * CreateApi): an AWS_PROXY integration for a Lambda ARN (payloadFormatVersion 2.0) or an HTTP_PROXY
 * integration for a URL (method ANY, 1.0), a route (`$default` unless RouteKey says otherwise) and the
 * `$default` stage with autoDeploy, all marked apiGatewayManaged and deployed at once.
 *
 * Defaults as AWS answers them for HTTP APIs: routeSelectionExpression "$request.method $request.path",
 * apiKeySelectionExpression "$request.header.x-api-key", disableExecuteApiEndpoint false, ipAddressType
 * ipv4. apiEndpoint is `http://{apiId}.execute-api.localhost:{port}` (the port of the request's Host).
 *
 * ## By design
 * - WebSocket APIs are stored (routes, integrations, stages work on them) but have no data plane yet.
 * ## Gaps
 * - DisableSchemaValidation, Version and Description are stored only; BasePath is ignored by imports.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvStore, KvTransaction } from "../../../storage/kv.ts";
import { allocateApiId, releaseApiId } from "../../execute-api/api-ids.ts";
import type { ServiceRequest } from "../../service.ts";
import type { ApiRecord, IntegrationRecord, RouteRecord } from "../snapshot.ts";
import { autoDeploy, autoDeployStage } from "./deploy.ts";
import { badRequest } from "./errors.ts";
import {
  compact,
  optBoolean,
  optInteger,
  optObject,
  optString,
  optStringList,
  optStringMap,
} from "./input.ts";
import { newIntegration, validateIntegration } from "./integrations.ts";
import { apiAnswer, apiEndpoint, nowIso, page, requireApi, type StoredApi, scopeOf } from "./records.ts";
import { newRoute, validateRoute } from "./routes.ts";
import { newStage } from "./stages.ts";
import { type ApiScope, deleteApiTree, listApis, listChildren, putApi, putChild } from "./store.ts";

type Body = Record<string, unknown> & { ApiId?: string };

export const HTTP_ROUTE_SELECTION = "$request.method $request.path";
export const API_KEY_SELECTION = "$request.header.x-api-key";

/** CORS as given, checked the way AWS checks it (maxAge -1..86400). */
export function corsOf(value: Record<string, unknown> | undefined): ApiRecord["corsConfiguration"] {
  if (value === undefined) return undefined;
  const maxAge = optInteger(value, "maxAge");
  if (maxAge !== undefined && (maxAge < -1 || maxAge > 86400)) {
    throw badRequest("MaxAge must be between -1 and 86400");
  }
  return compact({
    allowCredentials: optBoolean(value, "allowCredentials"),
    allowHeaders: optStringList(value, "allowHeaders"),
    allowMethods: optStringList(value, "allowMethods"),
    allowOrigins: optStringList(value, "allowOrigins"),
    exposeHeaders: optStringList(value, "exposeHeaders"),
    maxAge,
  });
}

function apiMembers(body: Body): Partial<StoredApi> {
  const ipAddressType = optString(body, "ipAddressType");
  if (ipAddressType !== undefined && !["ipv4", "dualstack"].includes(ipAddressType)) {
    throw badRequest(`Invalid IP address type specified: ${ipAddressType}`);
  }
  return compact({
    apiKeySelectionExpression: optString(body, "apiKeySelectionExpression"),
    corsConfiguration: corsOf(optObject(body, "corsConfiguration")),
    description: optString(body, "description"),
    disableExecuteApiEndpoint: optBoolean(body, "disableExecuteApiEndpoint"),
    disableSchemaValidation: optBoolean(body, "disableSchemaValidation"),
    ipAddressType,
    name: optString(body, "name"),
    routeSelectionExpression: optString(body, "routeSelectionExpression"),
    version: optString(body, "version"),
  });
}

/** Stores a new API (allocating its id); shared with ImportApi. */
export async function insertApi(
  tx: KvTransaction,
  context: RequestContext,
  request: ServiceRequest | undefined,
  members: Partial<StoredApi> & { name: string; protocolType: "HTTP" | "WEBSOCKET" },
): Promise<StoredApi> {
  const kind = members.protocolType === "HTTP" ? "http" : "websocket";
  const apiId = await allocateApiId(tx, { accountId: context.accountId, region: context.region, kind });
  const endpoint = apiEndpoint(request, apiId);
  const api: StoredApi = {
    apiEndpoint: members.protocolType === "HTTP" ? endpoint : endpoint.replace(/^http:/, "ws:"),
    apiId,
    apiKeySelectionExpression: API_KEY_SELECTION,
    createdDate: nowIso(context),
    disableExecuteApiEndpoint: false,
    ipAddressType: "ipv4",
    ...(members.protocolType === "HTTP" ? { routeSelectionExpression: HTTP_ROUTE_SELECTION } : {}),
    tags: {},
    ...members,
  };
  putApi(tx, scopeOf(context, apiId), api);
  return api;
}

/** Quick create: integration + route + auto-deployed `$default` stage, all API Gateway-managed. */
async function quickCreate(
  tx: KvTransaction,
  scope: ApiScope,
  api: StoredApi,
  target: string,
  routeKey: string | undefined,
  credentialsArn: string | undefined,
  now: string,
): Promise<void> {
  const lambda = !/^https?:\/\//.test(target);
  const integration = newIntegration(
    compact({
      apiGatewayManaged: true,
      credentialsArn,
      integrationType: lambda ? "AWS_PROXY" : "HTTP_PROXY",
      integrationUri: target,
      integrationMethod: lambda ? "POST" : "ANY",
      payloadFormatVersion: lambda ? "2.0" : "1.0",
    }) as Partial<IntegrationRecord>,
    api,
  );
  putChild(tx, scope, "integration", integration.integrationId, integration);
  const route = await validateRoute(
    tx,
    scope,
    api,
    newRoute({
      apiGatewayManaged: true,
      routeKey: routeKey ?? "$default",
      target: `integrations/${integration.integrationId}`,
    }),
  );
  putChild(tx, scope, "route", route.routeId, route);
  const stage = newStage("$default", { apiGatewayManaged: true, autoDeploy: true }, now);
  putChild(tx, scope, "stage", "$default", await autoDeployStage(tx, scope, stage, now));
}

/** UpdateApi with Target/RouteKey on a quick-created API edits its managed integration and route. */
async function updateQuickCreated(
  tx: KvTransaction,
  scope: ApiScope,
  api: StoredApi,
  target: string | undefined,
  routeKey: string | undefined,
): Promise<boolean> {
  let changed = false;
  const routes = await listChildren<RouteRecord>(tx, scope, "route");
  const managedRoute = routes.find((route) => route.apiGatewayManaged === true);
  if (target !== undefined) {
    const managed = (await listChildren<IntegrationRecord>(tx, scope, "integration")).find(
      (integration) => integration.apiGatewayManaged === true,
    );
    if (managed === undefined) throw badRequest("Target can only be updated on an API made by quick create");
    const record = validateIntegration({ ...managed, integrationUri: target }, api);
    putChild(tx, scope, "integration", record.integrationId, record);
    changed = true;
  }
  if (routeKey !== undefined) {
    if (managedRoute === undefined)
      throw badRequest("RouteKey can only be updated on an API made by quick create");
    const record = await validateRoute(tx, scope, api, { ...managedRoute, routeKey });
    putChild(tx, scope, "route", record.routeId, record);
    changed = true;
  }
  return changed;
}

export function apiOperations(store: KvStore) {
  return {
    CreateApi: async (
      body: Body,
      context: RequestContext,
      request: ServiceRequest,
    ): Promise<RestJsonResult> => {
      const members = apiMembers(body);
      const protocolType = optString(body, "protocolType");
      if (members.name === undefined) throw badRequest("Name is required");
      if (protocolType !== "HTTP" && protocolType !== "WEBSOCKET") {
        // moto's text for an unknown protocol (unconfirmed against AWS).
        throw badRequest("Invalid protocol specified. Must be one of [HTTP, WEBSOCKET]");
      }
      const target = optString(body, "target");
      const routeKey = optString(body, "routeKey");
      const credentialsArn = optString(body, "credentialsArn");
      const tags = optStringMap(body, "tags") ?? {};
      if (protocolType === "WEBSOCKET") {
        if (members.routeSelectionExpression === undefined) {
          throw badRequest("RouteSelectionExpression is required for WEBSOCKET APIs");
        }
        if (target !== undefined || routeKey !== undefined) {
          throw badRequest("Quick create (Target, RouteKey) is only supported for HTTP APIs");
        }
        if (members.corsConfiguration !== undefined) throw badRequest("CORS is only supported for HTTP APIs");
      }
      if (routeKey !== undefined && target === undefined) {
        throw badRequest("RouteKey is part of quick create and requires a Target");
      }
      const now = nowIso(context);
      const api = await store.transaction(async (tx) => {
        const created = await insertApi(tx, context, request, {
          ...members,
          name: members.name as string,
          protocolType,
          tags,
        });
        if (target !== undefined) {
          await quickCreate(
            tx,
            scopeOf(context, created.apiId),
            created,
            target,
            routeKey,
            credentialsArn,
            now,
          );
        }
        return created;
      });
      return { status: 201, body: apiAnswer(api, request) };
    },
    GetApi: async (body: Body, context: RequestContext, request: ServiceRequest): Promise<RestJsonResult> => {
      const api = await requireApi(store, scopeOf(context, body.ApiId ?? ""));
      return { body: apiAnswer(api, request) };
    },
    GetApis: async (
      body: Body,
      context: RequestContext,
      request: ServiceRequest,
    ): Promise<RestJsonResult> => {
      const apis = await listApis<StoredApi>(store, context.accountId, context.region);
      const items = apis.map((api) => apiAnswer(api, request));
      return { body: page(items, body.MaxResults, body.NextToken) };
    },
    UpdateApi: async (
      body: Body,
      context: RequestContext,
      request: ServiceRequest,
    ): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId ?? "");
      const members = apiMembers(body);
      const api = await store.transaction(async (tx) => {
        const current = await requireApi(tx, scope);
        if (members.corsConfiguration !== undefined && current.protocolType !== "HTTP") {
          throw badRequest("CORS is only supported for HTTP APIs");
        }
        const updated: StoredApi = { ...current, ...members };
        putApi(tx, scope, updated);
        const changed = await updateQuickCreated(
          tx,
          scope,
          updated,
          optString(body, "target"),
          optString(body, "routeKey"),
        );
        if (changed) await autoDeploy(tx, scope, nowIso(context));
        return updated;
      });
      return { body: apiAnswer(api, request) };
    },
    DeleteApi: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId ?? "");
      await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        await deleteApiTree(tx, scope);
        releaseApiId(tx, scope.apiId);
      });
      return { status: 204 };
    },
    DeleteCorsConfiguration: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId ?? "");
      await store.transaction(async (tx) => {
        const current = await requireApi(tx, scope);
        const { corsConfiguration: _dropped, ...rest } = current;
        putApi(tx, scope, rest);
      });
      return { status: 204 };
    },
  };
}
