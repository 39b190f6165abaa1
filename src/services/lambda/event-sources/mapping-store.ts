/**
 * Event source mappings in the KV store, and how they read on the wire.
 *
 * ```
 * ("lambda", account, region, "esm", uuid)             → the mapping (JSON, format `v: 1`)
 * ("lambda", account, region, "esm-checkpoint", uuid)  → where its poller is: the last sequence number
 *                                                          of the stream it has finished with
 * ```
 *
 * The checkpoint lives apart from the mapping so that the poller's frequent writes never race an
 * UpdateEventSourceMapping on the same record. It is written in the transaction that creates the
 * mapping (from StartingPosition), so a restart resumes exactly where processing stopped.
 */
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import { decodeTuple, tuple, tupleRange } from "../../../storage/tuple.ts";

export const MAPPING_FORMAT = 1;

export type StartingPosition = "TRIM_HORIZON" | "LATEST";

/** The states a mapping rests in; Creating/Updating/Enabling/Disabling/Deleting are only answered. */
export type RestingState = "Enabled" | "Disabled";

export interface MappingRecord {
  v: typeof MAPPING_FORMAT;
  uuid: string;
  accountId: string;
  region: string;
  eventSourceArn: string;
  /** The function's name and the qualifier the mapping names (undefined = $LATEST, unqualified). */
  functionName: string;
  qualifier?: string;
  enabled: boolean;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  startingPosition: StartingPosition;
  /** FilterCriteria.Filters[].Pattern as given (JSON texts). */
  filterPatterns?: string[];
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  parallelizationFactor: number;
  functionResponseTypes: string[];
  /** DestinationConfig.OnFailure.Destination: an S3 bucket ARN (the only kind Stratus takes). */
  onFailureDestination?: string;
  lastModifiedMs: number;
  createdMs: number;
  lastProcessingResult: string;
  /** AWS_ENDPOINT_URL for the function's environments: the address the last request came in on. */
  endpointUrl: string;
}

export interface Checkpoint {
  v: typeof MAPPING_FORMAT;
  /** The stream's id (hex): a new stream of the same table starts over. */
  streamId: string;
  /** Records up to and including this sequence number are done. */
  after: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function mappingKey(accountId: string, region: string, uuid: string): Uint8Array {
  return tuple("lambda", accountId, region, "esm", uuid);
}

function checkpointKey(accountId: string, region: string, uuid: string): Uint8Array {
  return tuple("lambda", accountId, region, "esm-checkpoint", uuid);
}

export async function getMapping(
  reader: KvReader,
  accountId: string,
  region: string,
  uuid: string,
): Promise<MappingRecord | undefined> {
  const bytes = await reader.get(mappingKey(accountId, region, uuid));
  return bytes === undefined ? undefined : (JSON.parse(decoder.decode(bytes)) as MappingRecord);
}

export function putMapping(tx: KvTransaction, record: MappingRecord): void {
  tx.put(mappingKey(record.accountId, record.region, record.uuid), encoder.encode(JSON.stringify(record)));
}

export function deleteMapping(tx: KvTransaction, record: MappingRecord): void {
  tx.delete(mappingKey(record.accountId, record.region, record.uuid));
  tx.delete(checkpointKey(record.accountId, record.region, record.uuid));
}

/** The mappings of an account and region, oldest first. */
export async function listMappings(
  reader: KvReader,
  accountId: string,
  region: string,
): Promise<MappingRecord[]> {
  const out: MappingRecord[] = [];
  for await (const entry of reader.range(tupleRange("lambda", accountId, region, "esm"))) {
    out.push(JSON.parse(decoder.decode(entry.value)) as MappingRecord);
  }
  return out.sort((a, b) => a.createdMs - b.createdMs || (a.uuid < b.uuid ? -1 : 1));
}

/**
 * Every mapping of every account and region (for resuming pollers at startup). Lambda's own records
 * are few and small, so one walk over them is cheaper than keeping a second index in step.
 */
export async function listAllMappings(reader: KvReader): Promise<MappingRecord[]> {
  const out: MappingRecord[] = [];
  for await (const entry of reader.range(tupleRange("lambda"))) {
    const items = decodeTuple(entry.key);
    if (items.length === 5 && items[3] === "esm") {
      out.push(JSON.parse(decoder.decode(entry.value)) as MappingRecord);
    }
  }
  return out;
}

export async function getCheckpoint(
  reader: KvReader,
  record: Pick<MappingRecord, "accountId" | "region" | "uuid">,
): Promise<Checkpoint | undefined> {
  const bytes = await reader.get(checkpointKey(record.accountId, record.region, record.uuid));
  return bytes === undefined ? undefined : (JSON.parse(decoder.decode(bytes)) as Checkpoint);
}

export function putCheckpoint(
  tx: KvTransaction,
  record: Pick<MappingRecord, "accountId" | "region" | "uuid">,
  checkpoint: Checkpoint,
): void {
  tx.put(
    checkpointKey(record.accountId, record.region, record.uuid),
    encoder.encode(JSON.stringify(checkpoint)),
  );
}

export function functionArnOf(
  record: Pick<MappingRecord, "region" | "accountId" | "functionName" | "qualifier">,
) {
  const base = `arn:aws:lambda:${record.region}:${record.accountId}:function:${record.functionName}`;
  return record.qualifier === undefined ? base : `${base}:${record.qualifier}`;
}

/**
 * EventSourceMappingConfiguration as Lambda answers it for a DynamoDB stream (members in the order of
 * the recorded answers; LastModified in epoch seconds, as restJson1 writes timestamps).
 */
export function mappingConfiguration(record: MappingRecord, state: string): Record<string, unknown> {
  return {
    BatchSize: record.batchSize,
    BisectBatchOnFunctionError: record.bisectBatchOnFunctionError,
    DestinationConfig: {
      OnFailure:
        record.onFailureDestination !== undefined ? { Destination: record.onFailureDestination } : {},
    },
    EventSourceArn: record.eventSourceArn,
    EventSourceMappingArn: `arn:aws:lambda:${record.region}:${record.accountId}:event-source-mapping:${record.uuid}`,
    ...(record.filterPatterns !== undefined && {
      FilterCriteria: { Filters: record.filterPatterns.map((Pattern) => ({ Pattern })) },
    }),
    FunctionArn: functionArnOf(record),
    FunctionResponseTypes: [...record.functionResponseTypes],
    LastModified: record.lastModifiedMs / 1000,
    LastProcessingResult: record.lastProcessingResult,
    MaximumBatchingWindowInSeconds: record.maximumBatchingWindowInSeconds,
    MaximumRecordAgeInSeconds: record.maximumRecordAgeInSeconds,
    MaximumRetryAttempts: record.maximumRetryAttempts,
    ParallelizationFactor: record.parallelizationFactor,
    StartingPosition: record.startingPosition,
    State: state,
    StateTransitionReason: "User action",
    TumblingWindowInSeconds: 0,
    UUID: record.uuid,
  };
}

export function restingState(record: MappingRecord): RestingState {
  return record.enabled ? "Enabled" : "Disabled";
}
