/**
 * UpdateFunctionCode (PUT …/code) and UpdateFunctionConfiguration (PUT …/configuration): each update
 * gets a new RevisionId and LastModified; the answer shows LastUpdateStatus InProgress, later reads
 * Successful (store.ts). A RevisionId in the request must match the current one.
 *
 * Layers (UpdateFunctionConfiguration) replace the function's list (`[]` removes them all);
 * UpdateFunctionCode takes code from S3 or a hot-reload directory as CreateFunction does
 * (code/s3-code.ts, code/hot-reload.ts).
 *
 * ## Gaps
 * - VpcConfig, DeadLetterConfig, KMSKeyArn, FileSystemConfigs, ImageConfig and SnapStart are not
 *   applied (ignored).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { S3Api } from "../../s3/api.ts";
import { codeFromS3 } from "../code/s3-code.ts";
import {
  codeSourceMissing,
  functionNotFound,
  functionPending,
  revisionMismatch,
  updateInProgress,
} from "../errors.ts";
import { checkCombinedSize, layerArnsOf, resolveFunctionLayers } from "../layers/function-layers.ts";
import {
  type FunctionRecord,
  type FunctionSettings,
  functionArn,
  LATEST,
  type LambdaStore,
} from "../store.ts";
import { configuration } from "./configuration.ts";
import { zipFileOf } from "./create-function.ts";
import { functionNameConstraints, locateFunction } from "./function-name.ts";
import {
  type ConfigMembers,
  checkEnvironment,
  checkRuntime,
  configConstraints,
  environmentVariables,
  optionalBoolean,
  optionalInteger,
  optionalString,
  optionalStringList,
  throwIfAny,
} from "./validate.ts";
import { publishLatest } from "./versions.ts";

export interface UpdateFunctionCodeInput {
  FunctionName: string;
  ZipFile?: unknown;
  S3Bucket?: unknown;
  S3Key?: unknown;
  S3ObjectVersion?: unknown;
  Publish?: unknown;
  DryRun?: unknown;
  RevisionId?: unknown;
  Architectures?: unknown;
}

export interface UpdateFunctionConfigurationInput extends ConfigMembers {
  FunctionName: string;
  RevisionId?: unknown;
  TracingConfig?: unknown;
  EphemeralStorage?: unknown;
  LoggingConfig?: unknown;
  Layers?: unknown;
}

/**
 * Reads the function, checks it may be updated now, applies `change` and stores the result with a new
 * revision, all in one transaction; publishes a version when asked. Returns the answer's configuration.
 */
async function update(
  store: LambdaStore,
  context: RequestContext,
  functionName: string,
  revisionId: string | undefined,
  publish: boolean,
  change: (settings: FunctionSettings) => FunctionSettings,
): Promise<Record<string, unknown>> {
  const located = locateFunction(context, functionName);
  const notFound = () => functionNotFound(functionArn(context.region, located.accountId, located.name));
  if (located.accountId !== context.accountId) throw notFound();
  return store.storage.transaction(async (tx) => {
    const record = await store.get(tx, context.accountId, context.region, located.name);
    if (!record) throw notFound();
    const now = store.nowMs();
    if (now < record.activeAtMs) throw functionPending();
    if (now < record.updatedAtMs)
      throw updateInProgress(functionArn(record.region, record.accountId, record.name));
    if (revisionId !== undefined && revisionId !== record.revisionId) throw revisionMismatch();
    const next: FunctionRecord = {
      ...record,
      settings: change(record.settings),
      lastModifiedMs: now,
      revisionId: store.newRevisionId(),
      updatedAtMs: now + store.updateMs,
    };
    store.put(tx, next);
    const version = publish ? publishLatest(store, tx, next) : undefined;
    return configuration({
      record: next,
      settings: next.settings,
      version: version ? String(version.version) : LATEST,
      revisionId: version ? version.revisionId : next.revisionId,
      lastModifiedMs: next.lastModifiedMs,
      state: "Active",
      lastUpdateStatus: "InProgress",
    });
  });
}

function checkName(functionName: string): void {
  throwIfAny(functionNameConstraints(functionName, true));
}

/** `s3`: where S3Bucket/S3Key are read from (absent when Lambda is built without S3). */
export function updateFunctionCode(store: LambdaStore, s3?: S3Api) {
  return async (input: UpdateFunctionCodeInput, context: RequestContext): Promise<RestJsonResult> => {
    checkName(input.FunctionName);
    throwIfAny(configConstraints({ Architectures: input.Architectures }));
    const revisionId = optionalString(input.RevisionId, "RevisionId");
    const publish = optionalBoolean(input.Publish, "Publish") ?? false;
    const dryRun = optionalBoolean(input.DryRun, "DryRun") ?? false;
    const architectures = optionalStringList(input.Architectures, "Architectures");
    const zip = zipFileOf(input.ZipFile, "ZipFile");
    const fromS3 = input.S3Bucket !== undefined || input.S3Key !== undefined;
    if (zip === undefined && !fromS3) throw codeSourceMissing();
    // The function must exist before its code is stored.
    const current = await store.resolve(context, input.FunctionName);
    const stored =
      zip === undefined
        ? await codeFromS3(store.code, s3, {
            bucket: input.S3Bucket,
            key: input.S3Key,
            version: input.S3ObjectVersion,
          })
        : await store.code.put(zip);
    await checkCombinedSize(store, stored, current.settings.layers);
    if (dryRun) {
      const resolved = await store.resolve(context, input.FunctionName);
      return {
        body: configuration({
          record: resolved.record,
          settings: {
            ...resolved.settings,
            code: stored,
            architectures: architectures ?? resolved.settings.architectures,
          },
          version: LATEST,
          revisionId: resolved.revisionId,
          lastModifiedMs: resolved.lastModifiedMs,
          state: "Active",
          lastUpdateStatus: "Successful",
        }),
      };
    }
    const body = await update(store, context, input.FunctionName, revisionId, publish, (settings) => ({
      ...settings,
      code: stored,
      architectures: architectures ?? settings.architectures,
    }));
    return { body };
  };
}

function withoutLayers(settings: FunctionSettings): FunctionSettings {
  const { layers: _layers, ...rest } = settings;
  return rest;
}

/** The settings' layers after an update: unchanged when Layers was absent, none for `[]`. */
function layersChange(
  layers: FunctionSettings["layers"],
  settings: FunctionSettings,
): Pick<FunctionSettings, "layers"> {
  const next = layers ?? settings.layers;
  return next !== undefined && next.length > 0 ? { layers: next } : {};
}

function structureMember(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function updateFunctionConfiguration(store: LambdaStore) {
  return async (
    input: UpdateFunctionConfigurationInput,
    context: RequestContext,
  ): Promise<RestJsonResult> => {
    checkName(input.FunctionName);
    throwIfAny(configConstraints(input));
    const runtime = optionalString(input.Runtime, "Runtime");
    if (runtime !== undefined) checkRuntime(runtime);
    const variables = environmentVariables(input.Environment);
    if (variables !== undefined) checkEnvironment(variables);
    const revisionId = optionalString(input.RevisionId, "RevisionId");
    const role = optionalString(input.Role, "Role");
    const handler = optionalString(input.Handler, "Handler");
    const description = optionalString(input.Description, "Description");
    const timeout = optionalInteger(input.Timeout, "Timeout");
    const memorySize = optionalInteger(input.MemorySize, "MemorySize");
    const tracingMode = optionalString(structureMember(input.TracingConfig)?.Mode, "TracingConfig.Mode");
    const ephemeral = optionalInteger(structureMember(input.EphemeralStorage)?.Size, "EphemeralStorage.Size");
    const logging = structureMember(input.LoggingConfig);
    const logFormat = optionalString(logging?.LogFormat, "LoggingConfig.LogFormat");
    const logGroup = optionalString(logging?.LogGroup, "LoggingConfig.LogGroup");
    const layerArns = layerArnsOf(input.Layers);
    const layers =
      layerArns === undefined ? undefined : await resolveFunctionLayers(store, context, layerArns);
    if (layers !== undefined) {
      const current = await store.resolve(context, input.FunctionName);
      await checkCombinedSize(store, current.settings.code, layers);
    }
    const body = await update(store, context, input.FunctionName, revisionId, false, (settings) => ({
      ...withoutLayers(settings),
      runtime: runtime ?? settings.runtime,
      role: role ?? settings.role,
      handler: handler ?? settings.handler,
      description: description ?? settings.description,
      timeout: timeout ?? settings.timeout,
      memorySize: memorySize ?? settings.memorySize,
      environment: variables ?? settings.environment,
      tracingMode: tracingMode ?? settings.tracingMode,
      ephemeralStorageSize: ephemeral ?? settings.ephemeralStorageSize,
      logFormat: logFormat ?? settings.logFormat,
      logGroup: logGroup ?? settings.logGroup,
      ...layersChange(layers, settings),
    }));
    return { body };
  };
}
