/**
 * Stages: CreateStage (201), GetStage, GetStages, UpdateStage (PATCH), DeleteStage (204), and
 * DeleteRouteSettings / DeleteAccessLogSettings (204). `$default` serves the API's root; any other
 * name is the first path segment of invoke URLs. A stage created or switched to autoDeploy deploys at
 * once (when the API has routes); `routeSettings` keys must be route keys of the API.
 *
 * Texts: "Unable to find Route by key {key} within the provided RouteSettings" is AWS's (quoted from
 * CloudFormation stack events); "Stage already exists" is API Gateway v1's recorded text, assumed for
 * v2 (unconfirmed); the other texts are Stratus's.
 *
 * ## Gaps
 * - Client certificates are stored, never checked; access logs are written by the data plane.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvReader, KvStore } from "../../../storage/kv.ts";
import type { RouteRecord, RouteSettings } from "../snapshot.ts";
import { autoDeployStage, pointStage } from "./deploy.ts";
import { badRequest, conflict, deploymentNotFound, notFound, stageNotFound } from "./errors.ts";
import { compact, optBoolean, optInteger, optNumber, optObject, optString, optStringMap } from "./input.ts";
import { nowIso, page, requireApi, type StoredStage, scopeOf } from "./records.ts";
import { type ApiScope, deleteChild, getChild, listChildren, putChild } from "./store.ts";

type Body = Record<string, unknown> & { ApiId: string; StageName?: string; RouteKey?: string };

const STAGE_NAME = /^(\$default|[a-zA-Z0-9_-]{1,128})$/;
const LOGGING_LEVELS = ["ERROR", "INFO", "OFF"];

function routeSettingsOf(value: Record<string, unknown>, where: string): RouteSettings {
  const level = optString(value, "loggingLevel");
  if (level !== undefined && !LOGGING_LEVELS.includes(level)) {
    throw badRequest(`Invalid logging level specified in ${where}: ${level}`);
  }
  return compact({
    dataTraceEnabled: optBoolean(value, "dataTraceEnabled"),
    detailedMetricsEnabled: optBoolean(value, "detailedMetricsEnabled"),
    loggingLevel: level,
    throttlingBurstLimit: optInteger(value, "throttlingBurstLimit"),
    throttlingRateLimit: optNumber(value, "throttlingRateLimit"),
  });
}

function routeSettingsMap(body: Body): Record<string, RouteSettings> | undefined {
  const map = optObject(body, "routeSettings");
  if (map === undefined) return undefined;
  const out: Record<string, RouteSettings> = {};
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== "object" || value === null) throw badRequest(`Invalid route settings for ${key}`);
    out[key] = routeSettingsOf(value as Record<string, unknown>, key);
  }
  return out;
}

function stageMembers(body: Body): Partial<StoredStage> {
  const defaults = optObject(body, "defaultRouteSettings");
  const logs = optObject(body, "accessLogSettings");
  return compact({
    accessLogSettings:
      logs === undefined
        ? undefined
        : compact({ destinationArn: optString(logs, "destinationArn"), format: optString(logs, "format") }),
    autoDeploy: optBoolean(body, "autoDeploy"),
    clientCertificateId: optString(body, "clientCertificateId"),
    defaultRouteSettings:
      defaults === undefined ? undefined : routeSettingsOf(defaults, "defaultRouteSettings"),
    deploymentId: optString(body, "deploymentId"),
    description: optString(body, "description"),
    routeSettings: routeSettingsMap(body),
    stageVariables: optStringMap(body, "stageVariables"),
  });
}

/** `routeKeys`: the routeSettings keys this request gives (older ones may name routes renamed since). */
async function validateStage(
  reader: KvReader,
  scope: ApiScope,
  stage: StoredStage,
  routeKeys: string[],
  givenDeploymentId: boolean,
): Promise<void> {
  // AWS refuses a DeploymentId for an autoDeploy stage (ACK apigatewayv2-controller#15 works around
  // that BadRequestException); the text is Stratus's.
  if (givenDeploymentId && stage.autoDeploy === true) {
    throw badRequest("DeploymentId cannot be set on a stage with AutoDeploy enabled");
  }
  if (stage.deploymentId !== undefined) {
    if ((await getChild(reader, scope, "deployment", stage.deploymentId)) === undefined) {
      throw deploymentNotFound(stage.deploymentId);
    }
  }
  const keys = new Set((await listChildren<RouteRecord>(reader, scope, "route")).map((r) => r.routeKey));
  for (const key of routeKeys) {
    if (!keys.has(key))
      throw notFound(`Unable to find Route by key ${key} within the provided RouteSettings`);
  }
  const logs = stage.accessLogSettings;
  if (logs !== undefined && (logs.destinationArn === undefined) !== (logs.format === undefined)) {
    throw badRequest("Access log destination and format must be specified together");
  }
}

/** A new stage with AWS's defaults (used by quick create too). */
export function newStage(stageName: string, members: Partial<StoredStage>, now: string): StoredStage {
  if (!STAGE_NAME.test(stageName)) throw badRequest(`Invalid stage name specified: ${stageName}`);
  return {
    createdDate: now,
    defaultRouteSettings: { detailedMetricsEnabled: false },
    lastUpdatedDate: now,
    routeSettings: {},
    stageVariables: {},
    tags: {},
    ...members,
    stageName,
  };
}

export function stageOperations(store: KvStore) {
  return {
    CreateStage: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      const now = nowIso(context);
      const stage = await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        const name = optString(body, "stageName");
        if (name === undefined) throw badRequest("StageName is required");
        if ((await getChild(tx, scope, "stage", name)) !== undefined) throw conflict("Stage already exists");
        const members = stageMembers(body);
        const tags = optStringMap(body, "tags");
        let record = newStage(name, { ...members, ...(tags ? { tags } : {}) }, now);
        record.defaultRouteSettings = { detailedMetricsEnabled: false, ...members.defaultRouteSettings };
        await validateStage(
          tx,
          scope,
          record,
          Object.keys(members.routeSettings ?? {}),
          members.deploymentId !== undefined,
        );
        if (record.autoDeploy === true) record = await autoDeployStage(tx, scope, record, now);
        else if (record.deploymentId !== undefined) record = pointStage(record, record.deploymentId, now);
        putChild(tx, scope, "stage", name, record);
        return record;
      });
      return { status: 201, body: stage };
    },
    GetStage: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await requireApi(store, scope);
      const stage = await getChild<StoredStage>(store, scope, "stage", body.StageName ?? "");
      if (stage === undefined) throw stageNotFound(body.StageName ?? "");
      return { body: stage };
    },
    GetStages: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await requireApi(store, scope);
      const items = await listChildren<StoredStage>(store, scope, "stage");
      return { body: page(items, body.MaxResults, body.NextToken) };
    },
    UpdateStage: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      const now = nowIso(context);
      const stage = await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        const name = body.StageName ?? "";
        const current = await getChild<StoredStage>(tx, scope, "stage", name);
        if (current === undefined) throw stageNotFound(name);
        const members = stageMembers(body);
        let record: StoredStage = {
          ...current,
          ...members,
          defaultRouteSettings: { ...current.defaultRouteSettings, ...members.defaultRouteSettings },
          routeSettings: { ...current.routeSettings, ...members.routeSettings },
          lastUpdatedDate: now,
        };
        await validateStage(
          tx,
          scope,
          record,
          Object.keys(members.routeSettings ?? {}),
          members.deploymentId !== undefined,
        );
        const switchedOn = members.autoDeploy === true && current.autoDeploy !== true;
        if (switchedOn) record = await autoDeployStage(tx, scope, record, now);
        else if (members.deploymentId !== undefined) record = pointStage(record, members.deploymentId, now);
        putChild(tx, scope, "stage", name, record);
        return record;
      });
      return { body: stage };
    },
    DeleteStage: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        const name = body.StageName ?? "";
        if ((await getChild(tx, scope, "stage", name)) === undefined) throw stageNotFound(name);
        deleteChild(tx, scope, "stage", name);
      });
      return { status: 204 };
    },
    DeleteRouteSettings: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        const name = body.StageName ?? "";
        const stage = await getChild<StoredStage>(tx, scope, "stage", name);
        if (stage === undefined) throw stageNotFound(name);
        const key = body.RouteKey ?? "";
        const settings = { ...stage.routeSettings };
        if (!(key in settings))
          throw notFound(`Unable to find Route by key ${key} within the provided RouteSettings`);
        delete settings[key];
        putChild(tx, scope, "stage", name, {
          ...stage,
          routeSettings: settings,
          lastUpdatedDate: nowIso(context),
        });
      });
      return { status: 204 };
    },
    DeleteAccessLogSettings: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        const name = body.StageName ?? "";
        const stage = await getChild<StoredStage>(tx, scope, "stage", name);
        if (stage === undefined) throw stageNotFound(name);
        const { accessLogSettings: _dropped, ...rest } = stage;
        putChild(tx, scope, "stage", name, { ...rest, lastUpdatedDate: nowIso(context) });
      });
      return { status: 204 };
    },
  };
}
