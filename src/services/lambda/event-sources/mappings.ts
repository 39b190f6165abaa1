/**
 * Create/Get/Update/Delete/ListEventSourceMappings for DynamoDB streams (typed input → typed output).
 *
 * Answers as recorded from Lambda (LocalStack's test_lambda_integration_dynamodbstreams snapshots):
 * Create 202 with State "Creating", Update 202 with "Updating" ("Enabling"/"Disabling" when Enabled
 * changes), Delete 202 with "Deleting"; StateTransitionReason "User action"; LastProcessingResult "No
 * records processed" until a batch was handled; DestinationConfig `{"OnFailure": {}}`,
 * FunctionResponseTypes `[]` and TumblingWindowInSeconds 0 even when not given. A mapping is Enabled
 * (or Disabled) as soon as the answer is sent: its poller starts at once.
 *
 * Checks, in this order: the model's constraints (ValidationException), Lambda's rules for the members
 * (validate.ts), EventSourceArn present ("Unrecognized event source."), the kind of source (only
 * DynamoDB streams exist in Stratus), StartingPosition, the stream ("Stream not found: ARN"), the
 * function ("Function does not exist"), and an existing mapping of the same stream and function (409).
 *
 * Deleting a function leaves its mappings in place, as Lambda does (DeleteFunction's documentation:
 * "To delete Lambda event source mappings that invoke a function, use DeleteEventSourceMapping"); their
 * invokes then fail and are retried like function errors.
 *
 * ## Gaps
 * - Only DynamoDB streams: SQS, Kinesis, Kafka, MQ and DocumentDB ARNs answer InvalidParameterValue.
 * - DestinationConfig with an SQS/SNS destination (S3 buckets are taken), TumblingWindowInSeconds other
 *   than 0, Tags, and the Kafka/MQ members are refused or ignored (see docs/lambda.md).
 */
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvReader } from "../../../storage/kv.ts";
import { lastStreamSequence } from "../../dynamodb/items-store/streams.ts";
import type { DynamoDbStore } from "../../dynamodb/store.ts";
import { getStreamMeta, type StreamMeta } from "../../dynamodb/tables/stream-meta.ts";
import { isVisible, parseStreamArn, shardState } from "../../dynamodbstreams/streams.ts";
import type { ServiceRequest } from "../../service.ts";
import { functionNameConstraints, locateFunction } from "../control/function-name.ts";
import { decodeMarker, page, pageSize } from "../control/lookup.ts";
import { optionalString } from "../control/validate.ts";
import {
  constraintText,
  eventSourceMappingExists,
  eventSourceMappingNotFound,
  eventSourceNotSupported,
  eventSourceStreamNotFound,
  mappingFunctionDoesNotExist,
  startingPositionRequired,
  startingPositionUnsupported,
  timestampOnlyWithAtTimestamp,
  unrecognizedEventSource,
} from "../errors.ts";
import type { LambdaStore } from "../store.ts";
import {
  deleteMapping,
  functionArnOf,
  getMapping,
  listMappings,
  MAPPING_FORMAT,
  type MappingRecord,
  mappingConfiguration,
  putCheckpoint,
  putMapping,
  restingState,
  type StartingPosition,
} from "./mapping-store.ts";
import type { MappingPollers } from "./pollers.ts";
import { readCreateSettings, readUpdateSettings } from "./validate.ts";

/** ListEventSourceMappings answers at most 100 mappings a page (API reference, MaxItems). */
export const MAPPINGS_PAGE_MAX = 100;

export interface MappingDeps {
  store: LambdaStore;
  dynamodb: DynamoDbStore | undefined;
  pollers: MappingPollers | undefined;
  /** Remembers the address requests come in on, for the functions' AWS_ENDPOINT_URL. */
  sawEndpoint(url: string): void;
}

export interface UuidInput {
  UUID: string;
}

export interface ListInput {
  EventSourceArn?: string;
  FunctionName?: string;
  Marker?: string;
  MaxItems?: number;
}

function endpointOf(request: ServiceRequest): string {
  return `http://${request.headers.host ?? "localhost:4566"}`;
}

/** The kind of source an ARN names: its service, as in `arn:aws:<service>:...`. */
function sourceService(arn: string): string {
  return arn.split(":")[2] ?? "";
}

/** The stream a DynamoDB stream ARN names, visible to the caller, or "Stream not found: ARN". */
async function requireStream(
  dynamodb: DynamoDbStore | undefined,
  reader: KvReader,
  context: RequestContext,
  arn: string,
  nowMs: number,
): Promise<StreamMeta> {
  const parts = parseStreamArn(arn);
  if (!dynamodb || !parts || parts.account !== context.accountId || parts.region !== context.region) {
    throw eventSourceStreamNotFound(arn);
  }
  const meta = await getStreamMeta(reader, parts.account, parts.region, parts.tableName, parts.label);
  if (!meta || !isVisible(meta, nowMs)) throw eventSourceStreamNotFound(arn);
  return meta;
}

/** The function (name and qualifier) a mapping names; it must exist, with its version or alias. */
async function requireMappingFunction(
  store: LambdaStore,
  context: RequestContext,
  functionName: string,
  reader: KvReader,
): Promise<{ name: string; qualifier: string | undefined }> {
  const located = locateFunction(context, functionName);
  try {
    await store.resolve(context, functionName, undefined, reader);
  } catch (error) {
    if ((error as { code?: string }).code === "ResourceNotFoundException")
      throw mappingFunctionDoesNotExist();
    throw error;
  }
  return { name: located.name, qualifier: located.qualifier };
}

async function requireNoDuplicate(
  reader: KvReader,
  candidate: MappingRecord,
  givenFunctionName: string,
): Promise<void> {
  const arn = functionArnOf(candidate);
  for (const other of await listMappings(reader, candidate.accountId, candidate.region)) {
    if (
      other.uuid !== candidate.uuid &&
      other.eventSourceArn === candidate.eventSourceArn &&
      functionArnOf(other) === arn
    ) {
      throw eventSourceMappingExists(candidate.eventSourceArn, givenFunctionName, other.uuid);
    }
  }
}

export function createEventSourceMapping(deps: MappingDeps) {
  return async (
    input: Record<string, unknown>,
    context: RequestContext,
    request: ServiceRequest,
  ): Promise<RestJsonResult> => {
    deps.sawEndpoint(endpointOf(request));
    const functionName = optionalString(input.FunctionName, "FunctionName");
    const nameMessages =
      functionName !== undefined
        ? functionNameConstraints(functionName, false)
        : [constraintText("functionName", undefined, "Member must not be null")];
    const settings = readCreateSettings(input, nameMessages);
    const arn = settings.eventSourceArn;
    if (arn === undefined) throw unrecognizedEventSource();
    const service = sourceService(arn);
    if (service !== "dynamodb") throw eventSourceNotSupported(service === "" ? arn : service);
    if (settings.startingPosition === undefined) throw startingPositionRequired();
    if (settings.startingPosition === "AT_TIMESTAMP") throw startingPositionUnsupported(arn);
    if (settings.startingPositionTimestamp !== undefined) throw timestampOnlyWithAtTimestamp();
    const startingPosition = settings.startingPosition as StartingPosition;
    const { store } = deps;
    const nowMs = store.nowMs();

    const record = await store.storage.transaction(async (tx) => {
      const meta = await requireStream(deps.dynamodb, tx, context, arn, nowMs);
      const target = await requireMappingFunction(store, context, functionName!, tx);
      const created: MappingRecord = {
        v: MAPPING_FORMAT,
        uuid: randomUUID(),
        accountId: context.accountId,
        region: context.region,
        eventSourceArn: arn,
        functionName: target.name,
        ...(target.qualifier !== undefined ? { qualifier: target.qualifier } : {}),
        enabled: settings.enabled ?? true,
        batchSize: settings.batchSize ?? 100,
        maximumBatchingWindowInSeconds: settings.maximumBatchingWindowInSeconds ?? 0,
        startingPosition,
        ...(settings.filterPatterns !== undefined && settings.filterPatterns.length > 0
          ? { filterPatterns: settings.filterPatterns }
          : {}),
        maximumRetryAttempts: settings.maximumRetryAttempts ?? -1,
        maximumRecordAgeInSeconds: settings.maximumRecordAgeInSeconds ?? -1,
        bisectBatchOnFunctionError: settings.bisectBatchOnFunctionError ?? false,
        parallelizationFactor: settings.parallelizationFactor ?? 1,
        functionResponseTypes: settings.functionResponseTypes ?? [],
        ...(settings.onFailureDestination ? { onFailureDestination: settings.onFailureDestination } : {}),
        lastModifiedMs: nowMs,
        createdMs: nowMs,
        lastProcessingResult: "No records processed",
        endpointUrl: endpointOf(request),
      };
      await requireNoDuplicate(tx, created, functionName!);
      // Where reading starts is fixed now, so records written before the poller's first read count.
      const after =
        startingPosition === "LATEST"
          ? await lastStreamSequence(tx, meta.streamId)
          : (await shardState(tx, meta, nowMs)).horizon - 1;
      putMapping(tx, created);
      putCheckpoint(tx, created, { v: MAPPING_FORMAT, streamId: meta.streamId, after });
      return created;
    });
    deps.pollers?.ensure(record);
    return { status: 202, body: mappingConfiguration(record, "Creating") };
  };
}

async function requireMapping(
  reader: KvReader,
  context: RequestContext,
  uuid: string,
): Promise<MappingRecord> {
  const record = await getMapping(reader, context.accountId, context.region, uuid);
  if (!record) throw eventSourceMappingNotFound();
  return record;
}

export function getEventSourceMapping(deps: MappingDeps) {
  return async (
    input: UuidInput,
    context: RequestContext,
    request: ServiceRequest,
  ): Promise<RestJsonResult> => {
    deps.sawEndpoint(endpointOf(request));
    const record = await requireMapping(deps.store.storage, context, input.UUID);
    return { body: mappingConfiguration(record, restingState(record)) };
  };
}

export function updateEventSourceMapping(deps: MappingDeps) {
  return async (
    input: Record<string, unknown> & UuidInput,
    context: RequestContext,
    request: ServiceRequest,
  ): Promise<RestJsonResult> => {
    deps.sawEndpoint(endpointOf(request));
    const functionName = optionalString(input.FunctionName, "FunctionName");
    const settings = readUpdateSettings(
      input,
      functionName === undefined ? [] : functionNameConstraints(functionName, false),
    );
    const { store } = deps;
    const { record, state } = await store.storage.transaction(async (tx) => {
      const current = await requireMapping(tx, context, input.UUID);
      const next: MappingRecord = {
        ...current,
        lastModifiedMs: store.nowMs(),
        endpointUrl: endpointOf(request),
      };
      if (functionName !== undefined) {
        const target = await requireMappingFunction(store, context, functionName, tx);
        next.functionName = target.name;
        if (target.qualifier !== undefined) next.qualifier = target.qualifier;
        else delete next.qualifier;
        await requireNoDuplicate(tx, next, functionName);
      }
      if (settings.enabled !== undefined) next.enabled = settings.enabled;
      if (settings.batchSize !== undefined) next.batchSize = settings.batchSize;
      if (settings.maximumBatchingWindowInSeconds !== undefined) {
        next.maximumBatchingWindowInSeconds = settings.maximumBatchingWindowInSeconds;
      }
      if (settings.maximumRetryAttempts !== undefined)
        next.maximumRetryAttempts = settings.maximumRetryAttempts;
      if (settings.maximumRecordAgeInSeconds !== undefined) {
        next.maximumRecordAgeInSeconds = settings.maximumRecordAgeInSeconds;
      }
      if (settings.bisectBatchOnFunctionError !== undefined) {
        next.bisectBatchOnFunctionError = settings.bisectBatchOnFunctionError;
      }
      if (settings.parallelizationFactor !== undefined)
        next.parallelizationFactor = settings.parallelizationFactor;
      if (settings.functionResponseTypes !== undefined)
        next.functionResponseTypes = settings.functionResponseTypes;
      if (settings.onFailureDestination !== undefined) {
        if (settings.onFailureDestination !== "") next.onFailureDestination = settings.onFailureDestination;
        else delete next.onFailureDestination;
      }
      if (settings.filterPatterns !== undefined) {
        if (settings.filterPatterns.length > 0) next.filterPatterns = settings.filterPatterns;
        else delete next.filterPatterns;
      }
      putMapping(tx, next);
      const transition =
        next.enabled === current.enabled ? "Updating" : next.enabled ? "Enabling" : "Disabling";
      return { record: next, state: transition };
    });
    deps.pollers?.ensure(record);
    return { status: 202, body: mappingConfiguration(record, state) };
  };
}

export function deleteEventSourceMapping(deps: MappingDeps) {
  return async (
    input: UuidInput,
    context: RequestContext,
    request: ServiceRequest,
  ): Promise<RestJsonResult> => {
    deps.sawEndpoint(endpointOf(request));
    const record = await deps.store.storage.transaction(async (tx) => {
      const current = await requireMapping(tx, context, input.UUID);
      deleteMapping(tx, current);
      return current;
    });
    deps.pollers?.stop(record);
    return { status: 202, body: mappingConfiguration(record, "Deleting") };
  };
}

export function listEventSourceMappings(deps: MappingDeps) {
  return async (
    input: ListInput,
    context: RequestContext,
    request: ServiceRequest,
  ): Promise<RestJsonResult> => {
    deps.sawEndpoint(endpointOf(request));
    const limit = pageSize(input.MaxItems, MAPPINGS_PAGE_MAX);
    const after = decodeMarker(input.Marker);
    const located =
      input.FunctionName === undefined ? undefined : locateFunction(context, input.FunctionName);
    const mappings = (await listMappings(deps.store.storage, context.accountId, context.region)).filter(
      (record) =>
        (input.EventSourceArn === undefined || record.eventSourceArn === input.EventSourceArn) &&
        (located === undefined ||
          (located.accountId === record.accountId &&
            located.name === record.functionName &&
            (located.qualifier === undefined || located.qualifier === record.qualifier))),
    );
    const result = page(mappings, (record) => record.uuid, after, limit);
    return {
      body: {
        EventSourceMappings: result.items.map((record) => mappingConfiguration(record, restingState(record))),
        ...(result.nextMarker !== undefined ? { NextMarker: result.nextMarker } : {}),
      },
    };
  };
}
