/**
 * Authorizers: CreateAuthorizer (201), GetAuthorizer, GetAuthorizers, UpdateAuthorizer (PATCH),
 * DeleteAuthorizer (204). HTTP APIs have JWT authorizers (jwtConfiguration with an issuer and
 * audiences, one identity source) and REQUEST (Lambda) authorizers (authorizerUri, payload format
 * 1.0 or 2.0, simple responses only with 2.0, result TTL 0–3600 seconds) — API Gateway developer guide,
 * "Controlling access to HTTP APIs with JWT authorizers" and "... with AWS Lambda authorizers".
 *
 * ## Gaps
 * - authorizerCredentialsArn is stored, never assumed.
 * - Validation texts are Stratus's (unconfirmed); AWS answers 400 BadRequestException for each case.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvStore } from "../../../storage/kv.ts";
import type { AuthorizerRecord, RouteRecord } from "../snapshot.ts";
import { autoDeploy } from "./deploy.ts";
import { authorizerNotFound, badRequest, conflict } from "./errors.ts";
import { compact, optBoolean, optInteger, optObject, optString, optStringList } from "./input.ts";
import { lambdaArnOf } from "./integrations.ts";
import { childId, nowIso, page, requireApi, type StoredApi, scopeOf } from "./records.ts";
import { deleteChild, getChild, listChildren, putChild } from "./store.ts";

type Body = Record<string, unknown> & { ApiId: string; AuthorizerId?: string };

const IDENTITY_SOURCE = /^\$(request\.header|request\.querystring|context|stageVariables)\.[^\s,]+$/;
export const AUTHORIZER_TTL_SECONDS_MAX = 3600;

function authorizerMembers(body: Body): Partial<AuthorizerRecord> {
  const jwt = optObject(body, "jwtConfiguration");
  return compact({
    authorizerCredentialsArn: optString(body, "authorizerCredentialsArn"),
    authorizerPayloadFormatVersion: optString(body, "authorizerPayloadFormatVersion") as
      | AuthorizerRecord["authorizerPayloadFormatVersion"]
      | undefined,
    authorizerResultTtlInSeconds: optInteger(body, "authorizerResultTtlInSeconds"),
    authorizerType: optString(body, "authorizerType") as AuthorizerRecord["authorizerType"] | undefined,
    authorizerUri: optString(body, "authorizerUri"),
    enableSimpleResponses: optBoolean(body, "enableSimpleResponses"),
    identitySource: optStringList(body, "identitySource"),
    identityValidationExpression: optString(body, "identityValidationExpression"),
    jwtConfiguration:
      jwt === undefined
        ? undefined
        : compact({ audience: optStringList(jwt, "audience"), issuer: optString(jwt, "issuer") }),
    name: optString(body, "name"),
  });
}

export function validateAuthorizer(record: AuthorizerRecord, api: StoredApi): AuthorizerRecord {
  if (!record.name) throw badRequest("Name is required");
  const sources = record.identitySource ?? [];
  for (const source of sources) {
    if (!IDENTITY_SOURCE.test(source)) throw badRequest(`Invalid identity source specified: ${source}`);
  }
  if (record.authorizerType === "JWT") {
    if (api.protocolType !== "HTTP") throw badRequest("JWT authorizers are only supported for HTTP APIs");
    if (record.jwtConfiguration?.issuer === undefined) {
      throw badRequest("JwtConfiguration with an Issuer is required for JWT authorizers");
    }
    if (sources.length !== 1) throw badRequest("JWT authorizers take exactly one identity source");
    if (record.authorizerUri !== undefined)
      throw badRequest("AuthorizerUri is not supported for JWT authorizers");
    return record;
  }
  if (record.authorizerType !== "REQUEST") {
    throw badRequest(`Invalid authorizer type specified: ${String(record.authorizerType)}`);
  }
  const uri = record.authorizerUri;
  if (uri === undefined) throw badRequest("AuthorizerUri is required for REQUEST authorizers");
  if (lambdaArnOf(uri) === undefined) throw badRequest(`Invalid authorizer URI specified: ${uri}`);
  if (record.jwtConfiguration !== undefined) {
    throw badRequest("JwtConfiguration is only supported for JWT authorizers");
  }
  const version = record.authorizerPayloadFormatVersion;
  if (api.protocolType === "HTTP") {
    if (version === undefined)
      throw badRequest("AuthorizerPayloadFormatVersion is required for REQUEST authorizers");
    if (version !== "1.0" && version !== "2.0") {
      throw badRequest(`Invalid authorizer payload format version specified: ${String(version)}`);
    }
  }
  if (record.enableSimpleResponses === true && version !== "2.0") {
    throw badRequest("Simple responses are only supported for authorizer payload format version 2.0");
  }
  const ttl = record.authorizerResultTtlInSeconds ?? 0;
  if (ttl < 0 || ttl > AUTHORIZER_TTL_SECONDS_MAX) {
    throw badRequest(`AuthorizerResultTtlInSeconds must be between 0 and ${AUTHORIZER_TTL_SECONDS_MAX}`);
  }
  if (ttl > 0 && sources.length === 0) {
    throw badRequest("An identity source is required when authorizer caching is enabled");
  }
  return record;
}

/** A new authorizer with AWS's defaults (REQUEST: no caching, full responses); used by ImportApi too. */
export function newAuthorizer(members: Partial<AuthorizerRecord>, api: StoredApi): AuthorizerRecord {
  const request = members.authorizerType === "REQUEST";
  return validateAuthorizer(
    {
      ...(request ? { authorizerResultTtlInSeconds: 0, enableSimpleResponses: false } : {}),
      identitySource: [],
      ...members,
      authorizerId: childId(6),
      authorizerType: members.authorizerType as AuthorizerRecord["authorizerType"],
      name: members.name ?? "",
    },
    api,
  );
}

export function authorizerOperations(store: KvStore) {
  return {
    CreateAuthorizer: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      const authorizer = await store.transaction(async (tx) => {
        const api = await requireApi(tx, scope);
        const record = newAuthorizer(authorizerMembers(body), api);
        putChild(tx, scope, "authorizer", record.authorizerId, record);
        await autoDeploy(tx, scope, nowIso(context));
        return record;
      });
      return { status: 201, body: authorizer };
    },
    GetAuthorizer: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await requireApi(store, scope);
      const id = body.AuthorizerId ?? "";
      const authorizer = await getChild<AuthorizerRecord>(store, scope, "authorizer", id);
      if (authorizer === undefined) throw authorizerNotFound(id);
      return { body: authorizer };
    },
    GetAuthorizers: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await requireApi(store, scope);
      const items = await listChildren<AuthorizerRecord>(store, scope, "authorizer");
      return { body: page(items, body.MaxResults, body.NextToken) };
    },
    UpdateAuthorizer: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      const authorizer = await store.transaction(async (tx) => {
        const api = await requireApi(tx, scope);
        const id = body.AuthorizerId ?? "";
        const current = await getChild<AuthorizerRecord>(tx, scope, "authorizer", id);
        if (current === undefined) throw authorizerNotFound(id);
        const record = validateAuthorizer({ ...current, ...authorizerMembers(body) }, api);
        putChild(tx, scope, "authorizer", id, record);
        await autoDeploy(tx, scope, nowIso(context));
        return record;
      });
      return { body: authorizer };
    },
    DeleteAuthorizer: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        const id = body.AuthorizerId ?? "";
        if ((await getChild(tx, scope, "authorizer", id)) === undefined) throw authorizerNotFound(id);
        const user = (await listChildren<RouteRecord>(tx, scope, "route")).find((r) => r.authorizerId === id);
        // Unconfirmed text; AWS refuses to delete an authorizer a route still uses.
        if (user !== undefined)
          throw conflict(`Cannot delete authorizer ${id}: route ${user.routeKey} uses it`);
        deleteChild(tx, scope, "authorizer", id);
        await autoDeploy(tx, scope, nowIso(context));
      });
      return { status: 204 };
    },
  };
}
