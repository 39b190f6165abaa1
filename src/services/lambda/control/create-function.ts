/**
 * CreateFunction (POST /2015-03-31/functions, 201): validates as Lambda does (model constraints, then
 * runtime and handler, code, environment, layers), stores and extracts the zip (uploaded, or read from
 * S3 with code/s3-code.ts, or a hot-reload directory, code/hot-reload.ts), then records the function — Pending in this answer, Active from then
 * on (see store.ts) — and version 1 when Publish is set.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { S3Api } from "../../s3/api.ts";
import { codeFromS3 } from "../code/s3-code.ts";
import {
  codeSourceMissing,
  functionAlreadyExists,
  imageNotSupported,
  runtimeAndHandlerMandatory,
  serializationError,
} from "../errors.ts";
import { checkCombinedSize, layerArnsOf, resolveFunctionLayers } from "../layers/function-layers.ts";
import { FORMAT_VERSION, type FunctionRecord, LATEST, type LambdaStore } from "../store.ts";
import { configuration } from "./configuration.ts";
import { createFunctionName, functionNameConstraints } from "./function-name.ts";
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
  optionalStringMap,
  throwIfAny,
} from "./validate.ts";
import { publishLatest } from "./versions.ts";

export interface CreateFunctionInput extends ConfigMembers {
  FunctionName?: unknown;
  Code?: unknown;
  Publish?: unknown;
  PackageType?: unknown;
  Tags?: unknown;
  TracingConfig?: unknown;
  EphemeralStorage?: unknown;
  LoggingConfig?: unknown;
  Layers?: unknown;
}

/** Lambda's defaults for members a CreateFunction leaves out. */
export const DEFAULT_TIMEOUT_SECONDS = 3;
export const DEFAULT_MEMORY_MB = 128;
export const DEFAULT_EPHEMERAL_STORAGE_MB = 512;

/** Code.ZipFile as bytes (the SDKs send the blob base64-encoded in the JSON body). */
export function zipFileOf(value: unknown, member: string): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw serializationError(member);
  return Buffer.from(value, "base64");
}

function structure(value: unknown, member: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serializationError(member);
  return value as Record<string, unknown>;
}

/** `s3`: where Code.S3Bucket/S3Key are read from (absent when Lambda is built without S3). */
export function createFunction(store: LambdaStore, s3?: S3Api) {
  return async (input: CreateFunctionInput, context: RequestContext): Promise<RestJsonResult> => {
    const rawName = optionalString(input.FunctionName, "FunctionName");
    const code = structure(input.Code, "Code");
    const messages =
      rawName === undefined
        ? [`Value null at 'functionName' failed to satisfy constraint: Member must not be null`]
        : functionNameConstraints(rawName, true);
    messages.push(...configConstraints(input, ["Role"]));
    if (code === undefined)
      messages.push("Value null at 'code' failed to satisfy constraint: Member must not be null");
    throwIfAny(messages);
    const name = createFunctionName(context, rawName ?? "");

    const packageType = optionalString(input.PackageType, "PackageType") ?? "Zip";
    if (packageType === "Image") throw imageNotSupported();
    const runtime = optionalString(input.Runtime, "Runtime");
    const handler = optionalString(input.Handler, "Handler");
    if (runtime === undefined || handler === undefined) throw runtimeAndHandlerMandatory();
    checkRuntime(runtime);
    const variables = environmentVariables(input.Environment);
    if (variables !== undefined) checkEnvironment(variables);

    const layerArns = layerArnsOf(input.Layers);
    const zip = zipFileOf(code?.ZipFile, "Code.ZipFile");
    const fromS3 = code?.S3Bucket !== undefined || code?.S3Key !== undefined;
    if (zip === undefined && !fromS3) throw codeSourceMissing();
    const layers = layerArns === undefined ? [] : await resolveFunctionLayers(store, context, layerArns);
    if (await store.get(store.storage, context.accountId, context.region, name)) {
      throw functionAlreadyExists(name);
    }
    const stored =
      zip === undefined
        ? await codeFromS3(store.code, s3, {
            bucket: code?.S3Bucket,
            key: code?.S3Key,
            version: code?.S3ObjectVersion,
          })
        : await store.code.put(zip);
    await checkCombinedSize(store, stored, layers);

    const tracing = structure(input.TracingConfig, "TracingConfig");
    const ephemeral = structure(input.EphemeralStorage, "EphemeralStorage");
    const logging = structure(input.LoggingConfig, "LoggingConfig");
    const now = store.nowMs();
    const record: FunctionRecord = {
      v: FORMAT_VERSION,
      name,
      accountId: context.accountId,
      region: context.region,
      settings: {
        runtime,
        handler,
        role: optionalString(input.Role, "Role") ?? "",
        description: optionalString(input.Description, "Description") ?? "",
        timeout: optionalInteger(input.Timeout, "Timeout") ?? DEFAULT_TIMEOUT_SECONDS,
        memorySize: optionalInteger(input.MemorySize, "MemorySize") ?? DEFAULT_MEMORY_MB,
        environment: variables,
        architectures: optionalStringList(input.Architectures, "Architectures") ?? ["x86_64"],
        ephemeralStorageSize:
          optionalInteger(ephemeral?.Size, "EphemeralStorage.Size") ?? DEFAULT_EPHEMERAL_STORAGE_MB,
        tracingMode: optionalString(tracing?.Mode, "TracingConfig.Mode") ?? "PassThrough",
        logFormat: optionalString(logging?.LogFormat, "LoggingConfig.LogFormat") ?? "Text",
        logGroup: optionalString(logging?.LogGroup, "LoggingConfig.LogGroup") ?? `/aws/lambda/${name}`,
        code: stored,
        ...(layers.length > 0 ? { layers } : {}),
      },
      tags: optionalStringMap(input.Tags, "Tags") ?? {},
      lastModifiedMs: now,
      revisionId: store.newRevisionId(),
      activeAtMs: now + store.activationMs,
      updatedAtMs: 0,
      lastVersion: 0,
    };
    const publish = optionalBoolean(input.Publish, "Publish") ?? false;
    const version = await store.storage.transaction(async (tx) => {
      if (await store.get(tx, context.accountId, context.region, name)) throw functionAlreadyExists(name);
      store.put(tx, record);
      return publish ? publishLatest(store, tx, record) : undefined;
    });
    const body = configuration({
      record,
      settings: record.settings,
      version: version ? String(version.version) : LATEST,
      revisionId: version ? version.revisionId : record.revisionId,
      lastModifiedMs: record.lastModifiedMs,
      state: "Pending",
      lastUpdateStatus: "InProgress",
    });
    return { status: 201, body };
  };
}
