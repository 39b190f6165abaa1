/**
 * Routes: CreateRoute (201), GetRoute, GetRoutes, UpdateRoute (PATCH), DeleteRoute (204). A route key
 * is unique within an API (409 ConflictException); a target names an integration of the same API as
 * `integrations/{integrationId}`; JWT routes name a JWT authorizer, CUSTOM routes a REQUEST (Lambda)
 * authorizer. Defaults as AWS answers them: apiKeyRequired false, authorizationType NONE.
 *
 * ## Gaps
 * - Route responses, request models and DeleteRouteRequestParameter are not implemented.
 * - Validation texts are Stratus's (unconfirmed); the codes and statuses are AWS's.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvReader, KvStore } from "../../../storage/kv.ts";
import type { AuthorizerRecord, RouteRecord } from "../snapshot.ts";
import { autoDeploy } from "./deploy.ts";
import { badRequest, conflict, routeNotFound } from "./errors.ts";
import { compact, optBoolean, optObject, optString, optStringList } from "./input.ts";
import { childId, nowIso, page, requireApi, type StoredApi, scopeOf } from "./records.ts";
import { checkRouteKey } from "./route-keys.ts";
import { type ApiScope, deleteChild, getChild, listChildren, putChild } from "./store.ts";

type Body = Record<string, unknown> & { ApiId: string; RouteId?: string };

const AUTHORIZATION_TYPES = ["NONE", "AWS_IAM", "CUSTOM", "JWT"];

function routeMembers(body: Body): Partial<RouteRecord> {
  return compact({
    apiKeyRequired: optBoolean(body, "apiKeyRequired"),
    authorizationScopes: optStringList(body, "authorizationScopes"),
    authorizationType: optString(body, "authorizationType") as RouteRecord["authorizationType"],
    authorizerId: optString(body, "authorizerId"),
    modelSelectionExpression: optString(body, "modelSelectionExpression"),
    operationName: optString(body, "operationName"),
    requestModels: optObject(body, "requestModels"),
    requestParameters: optObject(body, "requestParameters") as RouteRecord["requestParameters"],
    routeKey: optString(body, "routeKey"),
    routeResponseSelectionExpression: optString(body, "routeResponseSelectionExpression"),
    target: optString(body, "target"),
  });
}

/** Checks a route against its API: key syntax and uniqueness, target and authorizer. */
export async function validateRoute(
  reader: KvReader,
  scope: ApiScope,
  api: StoredApi,
  route: RouteRecord,
): Promise<RouteRecord> {
  checkRouteKey(route.routeKey, api.protocolType);
  const others = await listChildren<RouteRecord>(reader, scope, "route");
  if (others.some((other) => other.routeKey === route.routeKey && other.routeId !== route.routeId)) {
    throw conflict(`Route with key ${route.routeKey} already exists for this API`);
  }
  if (route.target !== undefined) {
    const match = /^integrations\/([a-zA-Z0-9]+)$/.exec(route.target);
    if (!match || (await getChild(reader, scope, "integration", match[1] ?? "")) === undefined) {
      throw badRequest(`Invalid target specified: ${route.target}`);
    }
  }
  const type = route.authorizationType ?? "NONE";
  if (!AUTHORIZATION_TYPES.includes(type)) throw badRequest(`Invalid authorization type specified: ${type}`);
  if (type === "JWT" || type === "CUSTOM") {
    if (route.authorizerId === undefined)
      throw badRequest(`An authorizerId is required for authorization type ${type}`);
    const authorizer = await getChild<AuthorizerRecord>(reader, scope, "authorizer", route.authorizerId);
    if (authorizer === undefined) throw badRequest(`Invalid authorizer ID specified: ${route.authorizerId}`);
    const expected = type === "JWT" ? "JWT" : "REQUEST";
    if (authorizer.authorizerType !== expected) {
      throw badRequest(`Authorization type ${type} requires an authorizer of type ${expected}`);
    }
  } else if (route.authorizerId !== undefined) {
    throw badRequest(`An authorizerId is not allowed for authorization type ${type}`);
  }
  if (route.authorizationScopes !== undefined && route.authorizationScopes.length > 0 && type !== "JWT") {
    throw badRequest("Authorization scopes are only supported for JWT authorization");
  }
  return route;
}

/** A new route with AWS's defaults (also used by quick create and ImportApi). */
export function newRoute(members: Partial<RouteRecord> & { routeKey: string }): RouteRecord {
  return { apiKeyRequired: false, authorizationType: "NONE", ...members, routeId: childId(7) };
}

export function routeOperations(store: KvStore) {
  return {
    CreateRoute: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      const members = routeMembers(body);
      const route = await store.transaction(async (tx) => {
        const api = await requireApi(tx, scope);
        if (members.routeKey === undefined) throw badRequest("RouteKey is required");
        const record = await validateRoute(
          tx,
          scope,
          api,
          newRoute({ ...members, routeKey: members.routeKey }),
        );
        putChild(tx, scope, "route", record.routeId, record);
        await autoDeploy(tx, scope, nowIso(context));
        return record;
      });
      return { status: 201, body: route };
    },
    GetRoute: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await requireApi(store, scope);
      const route = await getChild<RouteRecord>(store, scope, "route", body.RouteId ?? "");
      if (route === undefined) throw routeNotFound(body.RouteId ?? "");
      return { body: route };
    },
    GetRoutes: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await requireApi(store, scope);
      const items = await listChildren<RouteRecord>(store, scope, "route");
      return { body: page(items, body.MaxResults, body.NextToken) };
    },
    UpdateRoute: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      const members = routeMembers(body);
      const route = await store.transaction(async (tx) => {
        const api = await requireApi(tx, scope);
        const id = body.RouteId ?? "";
        const current = await getChild<RouteRecord>(tx, scope, "route", id);
        if (current === undefined) throw routeNotFound(id);
        // "If you created an API using quick create, the $default route is managed by API Gateway. You
        // can't modify the $default route key" (API reference, Route); UpdateApi's RouteKey can.
        if (
          current.apiGatewayManaged === true &&
          members.routeKey !== undefined &&
          members.routeKey !== current.routeKey
        ) {
          throw badRequest(
            "The route key of a route managed by API Gateway can only be changed with UpdateApi",
          );
        }
        const merged: RouteRecord = { ...current, ...members };
        // Switching to NONE/AWS_IAM drops the authorizer, as the console does (AWS keeps no stale id).
        if (
          members.authorizationType !== undefined &&
          !["JWT", "CUSTOM"].includes(members.authorizationType)
        ) {
          delete merged.authorizerId;
          if (members.authorizationScopes === undefined) delete merged.authorizationScopes;
        }
        const record = await validateRoute(tx, scope, api, merged);
        putChild(tx, scope, "route", id, record);
        await autoDeploy(tx, scope, nowIso(context));
        return record;
      });
      return { body: route };
    },
    DeleteRoute: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        const id = body.RouteId ?? "";
        if ((await getChild(tx, scope, "route", id)) === undefined) throw routeNotFound(id);
        deleteChild(tx, scope, "route", id);
        await autoDeploy(tx, scope, nowIso(context));
      });
      return { status: 204 };
    },
  };
}
