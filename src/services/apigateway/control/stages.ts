/**
 * Stages: CreateStage (201), GetStage, GetStages (filter deploymentId), UpdateStage, DeleteStage (202).
 *
 * A stage answers with AWS's defaults (cacheClusterEnabled false, cacheClusterStatus NOT_AVAILABLE,
 * methodSettings {}, tracingEnabled false, createdDate and lastUpdatedDate; recorded in LocalStack's
 * test_get_stages_filters_by_deployment_id snapshot). UpdateStage's patch paths:
 *   replace /description, /deploymentId, /cacheClusterEnabled, /cacheClusterSize, /tracingEnabled,
 *           /clientCertificateId, /documentationVersion, /accessLogSettings/destinationArn|format
 *   add|replace|remove /variables/{name};  remove /accessLogSettings
 *   replace /{resourcePath}/{method}/{group}/{setting}  (`*` for any; the resource path JSON-pointer
 *           escaped, `/~1pets/GET/throttling/rateLimit`), remove /{resourcePath}/{method}
 * methodSettings keys stay as addressed ("*\/*", "~1pets/GET"), as AWS keys them; a new key starts from
 * AWS's full default MethodSetting.
 *
 * ## Gaps
 * - Stage-name and stage-variable texts are those emulators hold against AWS (cloudemu), not recorded.
 * - Canary settings are stored, not served.
 */
import type { KvStore } from "../../../storage/kv.ts";
import type { OperationHandler } from "../../service.ts";
import type { StageRecord } from "../snapshot.ts";
import { badRequest, conflict, deploymentNotFound, stageNotFound, validationErrors } from "./errors.ts";
import { bool, defined, type Json, operation, str, stringMap } from "./http.ts";
import { invalidPatchPath, type PatchOperation, patchOperations, unescapeToken } from "./patch.ts";
import { type ApiState, editApi, requireApi } from "./store.ts";

const STAGE_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const VARIABLE_NAME = /^[A-Za-z0-9_]+$/;
const VARIABLE_VALUE = /^[A-Za-z0-9-._~:/?#&=,]+$/;

/** AWS's MethodSetting before any patch sets a member. */
const DEFAULT_METHOD_SETTING: Json = {
  metricsEnabled: false,
  loggingLevel: "OFF",
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000.0,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: "SUCCEED_WITH_RESPONSE_HEADER",
};

/** "{group}/{setting}" of a method-settings patch path → the MethodSetting member and its type. */
const METHOD_SETTING_PATHS: Record<string, [string, "number" | "integer" | "boolean" | "string"]> = {
  "throttling/rateLimit": ["throttlingRateLimit", "number"],
  "throttling/burstLimit": ["throttlingBurstLimit", "integer"],
  "logging/loglevel": ["loggingLevel", "string"],
  "logging/dataTrace": ["dataTraceEnabled", "boolean"],
  "metrics/enabled": ["metricsEnabled", "boolean"],
  "caching/enabled": ["cachingEnabled", "boolean"],
  "caching/ttlInSeconds": ["cacheTtlInSeconds", "integer"],
  "caching/dataEncrypted": ["cacheDataEncrypted", "boolean"],
  "caching/requireAuthorizationForCacheControl": ["requireAuthorizationForCacheControl", "boolean"],
  "caching/unauthorizedCacheControlHeaderStrategy": ["unauthorizedCacheControlHeaderStrategy", "string"],
};

export function checkStageName(name: string): void {
  if (!STAGE_NAME.test(name)) throw badRequest("Stage name only allows a-zA-Z0-9_-");
}

export function checkVariables(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(name)) {
      throw badRequest("Stage variable names may only contain alphanumeric characters and underscores");
    }
    if (!VARIABLE_VALUE.test(value)) {
      throw badRequest("Stage variable values must match the regular expression [A-Za-z0-9-._~:/?#&=,]+");
    }
  }
}

export function newStage(
  fields: Json & { stageName: string; deploymentId: string },
  now: number,
): StageRecord {
  return defined({
    stageName: fields.stageName,
    deploymentId: fields.deploymentId,
    description: fields.description,
    cacheClusterEnabled: fields.cacheClusterEnabled ?? false,
    cacheClusterStatus: "NOT_AVAILABLE",
    methodSettings: {},
    variables: fields.variables,
    tracingEnabled: fields.tracingEnabled ?? false,
    tags: fields.tags,
    createdDate: now,
    lastUpdatedDate: now,
  }) as StageRecord;
}

function patchValue(op: PatchOperation, type: string): unknown {
  const value = op.value ?? "";
  switch (type) {
    case "boolean":
      return value === "true";
    case "integer":
    case "number": {
      const n = Number(value);
      if (value === "" || Number.isNaN(n) || (type === "integer" && !Number.isInteger(n))) {
        throw badRequest(`Invalid value for ${op.path}: ${value}`);
      }
      return n;
    }
    default:
      return value;
  }
}

function applyStagePatch(state: ApiState, stage: StageRecord, op: PatchOperation): void {
  const path = op.path ?? "";
  const scalars: Record<string, string> = {
    "/description": "string",
    "/deploymentId": "string",
    "/cacheClusterEnabled": "boolean",
    "/cacheClusterSize": "string",
    "/tracingEnabled": "boolean",
    "/clientCertificateId": "string",
    "/documentationVersion": "string",
  };
  const scalarType = scalars[path];
  if (scalarType !== undefined) {
    const key = path.slice(1);
    if (key === "deploymentId" && state.deployments[op.value ?? ""] === undefined) throw deploymentNotFound();
    if (op.op === "remove" || (scalarType === "string" && !op.value)) delete stage[key];
    else stage[key] = patchValue(op, scalarType);
    return;
  }
  if (path.startsWith("/variables/")) {
    const name = unescapeToken(path.slice("/variables/".length));
    const variables = { ...(stage.variables ?? {}) };
    if (op.op === "remove") delete variables[name];
    else {
      checkVariables({ [name]: op.value ?? "" });
      variables[name] = op.value ?? "";
    }
    if (Object.keys(variables).length > 0) stage.variables = variables;
    else delete stage.variables;
    return;
  }
  if (path === "/accessLogSettings" && op.op === "remove") {
    delete stage.accessLogSettings;
    return;
  }
  if (path === "/accessLogSettings/destinationArn" || path === "/accessLogSettings/format") {
    const settings = { ...((stage.accessLogSettings as Json | undefined) ?? {}) };
    settings[path.slice("/accessLogSettings/".length)] = op.value;
    stage.accessLogSettings = settings;
    return;
  }
  // /{resourcePath}/{method}[/{group}/{setting}]
  const parts = path.split("/").slice(1);
  if (parts.length === 2 && op.op === "remove") {
    const settings = { ...(stage.methodSettings ?? {}) };
    delete settings[`${parts[0]}/${parts[1]}`];
    stage.methodSettings = settings;
    return;
  }
  const setting = METHOD_SETTING_PATHS[parts.slice(2).join("/")];
  if (parts.length === 4 && setting !== undefined && op.op === "replace") {
    const key = `${parts[0]}/${parts[1]}`;
    const settings = { ...(stage.methodSettings ?? {}) };
    const current = { ...DEFAULT_METHOD_SETTING, ...((settings[key] as Json | undefined) ?? {}) };
    current[setting[0]] = patchValue(op, setting[1]);
    settings[key] = current;
    stage.methodSettings = settings;
    return;
  }
  throw invalidPatchPath(op.path);
}

export function stageOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    CreateStage: operation(async (request) => {
      const { accountId, region } = request.context;
      const body = request.body;
      const stageName = str(body, "stageName");
      const deploymentId = str(body, "deploymentId");
      const missing: string[] = [];
      if (stageName === undefined) {
        missing.push(
          "Value null at 'createStageInput.stageName' failed to satisfy constraint: Member must not be null",
        );
      }
      if (deploymentId === undefined) {
        missing.push(
          "Value null at 'createStageInput.deploymentId' failed to satisfy constraint: Member must not be null",
        );
      }
      if (missing.length > 0 || stageName === undefined || deploymentId === undefined)
        throw validationErrors(missing);
      checkStageName(stageName);
      const variables = stringMap(body, "variables");
      if (variables !== undefined) checkVariables(variables);
      const now = request.nowSeconds();
      const stage = await editApi(storage, accountId, region, request.label("restapi_id"), (state) => {
        if (state.deployments[deploymentId] === undefined) throw deploymentNotFound();
        if (state.stages[stageName] !== undefined) throw conflict("Stage already exists");
        const tags = stringMap(body, "tags");
        const created = newStage(
          {
            stageName,
            deploymentId,
            description: str(body, "description"),
            cacheClusterEnabled: bool(body, "cacheClusterEnabled"),
            tracingEnabled: bool(body, "tracingEnabled"),
            variables,
            tags: tags && Object.keys(tags).length > 0 ? tags : undefined,
          },
          now,
        );
        state.stages[stageName] = created;
        return created;
      });
      return { status: 201, body: stage };
    }),

    GetStage: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      const stage = state.stages[request.label("stage_name")];
      if (stage === undefined) throw stageNotFound();
      return { body: stage };
    }),

    GetStages: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      const deploymentId = request.query("deploymentId");
      const items = Object.values(state.stages)
        .filter((stage) => deploymentId === undefined || stage.deploymentId === deploymentId)
        .sort((a, b) => a.stageName.localeCompare(b.stageName));
      return { body: { item: items } };
    }),

    UpdateStage: operation(async (request) => {
      const { accountId, region } = request.context;
      const ops = patchOperations(request.body, "updateStageInput");
      const now = request.nowSeconds();
      const out = await editApi(storage, accountId, region, request.label("restapi_id"), (state) => {
        const name = request.label("stage_name");
        const current = state.stages[name];
        if (current === undefined) throw stageNotFound();
        const next = structuredClone(current);
        for (const op of ops) applyStagePatch(state, next, op);
        next.lastUpdatedDate = now;
        state.stages[name] = next;
        return next;
      });
      return { body: out };
    }),

    DeleteStage: operation(async (request) => {
      const { accountId, region } = request.context;
      await editApi(storage, accountId, region, request.label("restapi_id"), (state) => {
        const name = request.label("stage_name");
        if (state.stages[name] === undefined) throw stageNotFound();
        delete state.stages[name];
      });
      return { status: 202 };
    }),
  };
}
