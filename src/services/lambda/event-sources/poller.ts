/**
 * One mapping's poller: reads the stream after the mapping's checkpoint, batches, filters, invokes the
 * function synchronously with the records in stream order, and moves the checkpoint on only once a
 * batch is done (processed, or discarded after its retries), so a restart neither redelivers a
 * finished batch nor skips a record.
 *
 * What Lambda documents for DynamoDB streams, and what this does:
 * - Polling: 4 times a second (the Lambda developer guide's base rate) while there is nothing to read;
 *   at once again after a batch.
 * - MaximumBatchingWindowInSeconds: a batch smaller than BatchSize waits until the oldest record the
 *   poller has seen is that old; 0 delivers at once.
 * - Function errors retry the same batch; BisectBatchOnFunctionError splits a failing batch in two
 *   (here splitting does not use up a retry: AWS does not document how it counts) until single
 *   records fail on their own; after
 *   MaximumRetryAttempts retries (-1: until the record expires) or past MaximumRecordAgeInSeconds the
 *   records are discarded and LastProcessingResult says "PROBLEM: Function call failed".
 * - ReportBatchItemFailures: `{"batchItemFailures": [{"itemIdentifier": SequenceNumber}]}`; the records
 *   before the lowest reported one are done, the rest are retried. An empty or missing list is a
 *   success; an empty, null or unknown itemIdentifier fails the whole batch (Lambda's "Success and
 *   failure conditions", and LocalStack's recordings of them).
 * - Throttles (TooManyRequestsException) and a Pending function wait and try again (0.5 s doubling to
 *   30 s) without using up retries.
 * - A disabled mapping stops before its next attempt; an invoke in flight finishes and is checkpointed.
 *
 * - OnFailure destination (an S3 bucket; SQS and SNS are refused at the API): each discarded part of a
 *   batch is written as Lambda's failure record (failure-record.ts) under
 *   aws/lambda/<mapping UUID>/<shard id>/ before the checkpoint moves past it, so a crash between the
 *   two may write it twice but never loses it.
 *
 * ## Gaps
 * - ParallelizationFactor is stored and answered; batches of one shard run one at a time.
 */
import { isAwsError } from "../../../aws/errors.ts";
import type { Logger } from "../../../log.ts";
import type { KvStore } from "../../../storage/kv.ts";
import { readStreamRecords } from "../../dynamodb/items-store/streams.ts";
import type { DynamoDbStore } from "../../dynamodb/store.ts";
import { getStreamMeta, type StreamMeta } from "../../dynamodb/tables/stream-meta.ts";
import {
  isTrimmed,
  parseStreamArn,
  STREAM_RETENTION_MS,
  shardIdOfMeta,
  shardState,
} from "../../dynamodbstreams/streams.ts";
import type { S3Api } from "../../s3/api.ts";
import type { FunctionInvoker } from "../invoke/invoker.ts";
import { failureObjectKey, parseBucketArn, writeFailureRecord } from "../s3-destination.ts";
import { type DiscardCondition, type LastResponse, streamFailureRecord } from "./failure-record.ts";
import { type CompiledPattern, compilePattern, passesFilters } from "./filter-pattern.ts";
import {
  functionArnOf,
  getCheckpoint,
  getMapping,
  MAPPING_FORMAT,
  type MappingRecord,
  putCheckpoint,
  putMapping,
} from "./mapping-store.ts";
import { type LambdaStreamRecord, lambdaRecordOf, streamEventPayload } from "./stream-event.ts";

/** Lambda polls a stream's shards 4 times a second. */
export const POLL_INTERVAL_MS = 250;
/** Synchronous invoke payloads are at most 6 MB. */
export const PAYLOAD_BYTES_MAX = 6 * 1024 * 1024;
const RETRY_DELAY_MS = 200;
const RETRY_DELAY_MAX_MS = 5000;
const THROTTLE_DELAY_MS = 500;
const THROTTLE_DELAY_MAX_MS = 30_000;

export const RESULT_OK = "OK";
export const RESULT_FAILED = "PROBLEM: Function call failed";

export interface PollerDeps {
  storage: KvStore;
  dynamodb: DynamoDbStore;
  invoker: FunctionInvoker;
  logger: Logger;
  /** Where OnFailure records go (absent when Lambda runs without S3). */
  s3?: S3Api;
  nowMs(): number;
  /** The Stratus address the function's environment calls back (AWS_ENDPOINT_URL). */
  endpointUrl(record: MappingRecord): string;
}

export interface MappingKey {
  accountId: string;
  region: string;
  uuid: string;
}

interface Item {
  sequence: number;
  event: LambdaStreamRecord;
}

type Outcome =
  | { kind: "ok" }
  | { kind: "partial"; index: number; response?: LastResponse }
  | { kind: "error"; response?: LastResponse }
  | { kind: "throttled" };

/** A part of a batch being delivered: its attempts so far and what the last one answered. */
interface Part {
  items: Item[];
  retries: number;
  invokes: number;
  response?: LastResponse;
}

type Step = "busy" | "idle" | "exit";

export class StreamPoller {
  readonly #deps: PollerDeps;
  readonly #key: MappingKey;
  #stopped = false;
  #wake: (() => void) | undefined;
  /** When the poller first saw the records of a batch that waits for its batching window. */
  #windowStartMs: number | undefined;
  #patterns: { source: string; compiled: CompiledPattern[] } | undefined;
  readonly done: Promise<void>;

  constructor(deps: PollerDeps, key: MappingKey) {
    this.#deps = deps;
    this.#key = key;
    this.done = this.#run();
  }

  /** Stops before the next attempt (an invoke in flight finishes and is checkpointed). */
  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      try {
        const step = await this.#step();
        failures = 0;
        if (step === "exit") return;
        if (step === "idle") await this.#sleep(POLL_INTERVAL_MS);
      } catch (error) {
        // Never let a poller take Stratus down: log, back off, try again.
        failures++;
        this.#deps.logger.warn(`event source mapping ${this.#key.uuid}: ${String(error)}`);
        await this.#sleep(Math.min(POLL_INTERVAL_MS * 2 ** failures, 10_000));
      }
    }
  }

  async #current(): Promise<MappingRecord | undefined> {
    const { accountId, region, uuid } = this.#key;
    const record = await getMapping(this.#deps.storage, accountId, region, uuid);
    return record?.enabled ? record : undefined;
  }

  #compiled(record: MappingRecord): CompiledPattern[] {
    const source = JSON.stringify(record.filterPatterns ?? []);
    if (this.#patterns?.source !== source) {
      this.#patterns = { source, compiled: (record.filterPatterns ?? []).map(compilePattern) };
    }
    return this.#patterns.compiled;
  }

  async #stream(record: MappingRecord): Promise<StreamMeta | undefined> {
    const parts = parseStreamArn(record.eventSourceArn);
    if (!parts) return undefined;
    return getStreamMeta(this.#deps.storage, parts.account, parts.region, parts.tableName, parts.label);
  }

  async #step(): Promise<Step> {
    const record = await this.#current();
    if (!record) return "exit";
    const meta = await this.#stream(record);
    // The stream is gone (forgotten 24 hours after it was disabled): nothing will ever come.
    if (!meta) return "idle";
    const { storage } = this.#deps;
    const checkpoint = await getCheckpoint(storage, record);
    const after = checkpoint?.streamId === meta.streamId ? checkpoint.after : 0;
    const now = this.#deps.nowMs();
    const read = await readStreamRecords(storage, meta.streamId, after, record.batchSize);
    const first = read[0];
    if (!first) return "idle";
    if (first.sequence !== after + 1 || isTrimmed(first.record, now)) {
      // Records past the stream's 24-hour retention are gone for every reader: start after them.
      const state = await shardState(storage, meta, now);
      await this.#saveCheckpoint(record, meta.streamId, Math.max(after, state.horizon - 1));
      return "busy";
    }
    if (read.length < record.batchSize && record.maximumBatchingWindowInSeconds > 0) {
      this.#windowStartMs ??= now;
      if (now - this.#windowStartMs < record.maximumBatchingWindowInSeconds * 1000) return "idle";
    }
    this.#windowStartMs = undefined;

    const patterns = this.#compiled(record);
    const matching: Item[] = [];
    let through = read.at(-1)!.sequence;
    let payloadBytes = 0;
    for (const { sequence, record: streamRecord } of read) {
      const event = lambdaRecordOf(streamRecord, record.eventSourceArn);
      if (!passesFilters(patterns, event)) continue;
      // Keep the invoke under the synchronous payload limit (always at least one record).
      payloadBytes += Buffer.byteLength(JSON.stringify(event)) + 1;
      if (matching.length > 0 && payloadBytes > PAYLOAD_BYTES_MAX - 64) {
        through = matching.at(-1)!.sequence;
        break;
      }
      matching.push({ sequence, event });
    }
    if (matching.length > 0 && !(await this.#deliver(meta, matching))) return "busy";
    await this.#saveCheckpoint(record, meta.streamId, through);
    return "busy";
  }

  /**
   * Delivers one batch (and what its failures split it into), checkpointing each part when it is
   * done. False when the mapping was disabled, deleted or stopped before the batch was done.
   */
  async #deliver(meta: StreamMeta, batch: Item[]): Promise<boolean> {
    const queue: Part[] = [{ items: batch, retries: 0, invokes: 0 }];
    let throttles = 0;
    while (queue.length > 0) {
      if (this.#stopped) return false;
      const record = await this.#current();
      if (!record) return false;
      const head = queue[0]!;
      const fresh = this.#unexpired(record, head.items);
      if (fresh.length < head.items.length) {
        const aged = head.items.filter((item) => !fresh.includes(item));
        await this.#discarded(record, meta, { ...head, items: aged }, "RecordAgeExceeded");
      }
      head.items = fresh;
      if (head.items.length === 0) {
        // Every record of this part aged out while it was being retried: discarded.
        await this.#setResult(record, RESULT_FAILED);
        queue.shift();
        continue;
      }
      const outcome = await this.#invoke(record, head.items);
      if (outcome.kind !== "throttled") head.invokes++;
      if ((outcome.kind === "error" || outcome.kind === "partial") && outcome.response !== undefined) {
        head.response = outcome.response;
      }
      const last = head.items.at(-1)!.sequence;
      if (outcome.kind === "ok") {
        await this.#saveCheckpoint(record, meta.streamId, last);
        await this.#setResult(record, RESULT_OK);
        queue.shift();
        throttles = 0;
        continue;
      }
      if (outcome.kind === "throttled") {
        throttles++;
        await this.#sleep(Math.min(THROTTLE_DELAY_MS * 2 ** (throttles - 1), THROTTLE_DELAY_MAX_MS));
        continue;
      }
      await this.#setResult(record, RESULT_FAILED);
      if (outcome.kind === "partial") {
        if (outcome.index > 0) {
          await this.#saveCheckpoint(record, meta.streamId, head.items[outcome.index - 1]!.sequence);
          head.items = head.items.slice(outcome.index);
        }
      } else if (record.bisectBatchOnFunctionError && head.items.length > 1) {
        const middle = Math.ceil(head.items.length / 2);
        queue.splice(
          0,
          1,
          { ...head, items: head.items.slice(0, middle) },
          { ...head, items: head.items.slice(middle) },
        );
        continue;
      }
      head.retries++;
      if (record.maximumRetryAttempts !== -1 && head.retries > record.maximumRetryAttempts) {
        // Retries used up: the records are discarded and the stream moves on.
        await this.#discarded(record, meta, head, "RetryAttemptsExhausted");
        await this.#saveCheckpoint(record, meta.streamId, head.items.at(-1)!.sequence);
        queue.shift();
        continue;
      }
      await this.#sleep(Math.min(RETRY_DELAY_MS * 2 ** (head.retries - 1), RETRY_DELAY_MAX_MS));
    }
    return true;
  }

  /** Writes the failure record of a discarded part to the mapping's OnFailure bucket, if it has one. */
  async #discarded(record: MappingRecord, meta: StreamMeta, part: Part, condition: DiscardCondition) {
    const bucket = record.onFailureDestination && parseBucketArn(record.onFailureDestination);
    if (!bucket || part.items.length === 0) return;
    const now = new Date(this.#deps.nowMs());
    const shardId = shardIdOfMeta(meta);
    const events = part.items.map((item) => item.event);
    const failure = streamFailureRecord({
      functionArn: functionArnOf(record),
      condition,
      invokeCount: part.invokes,
      response: part.response,
      shardId,
      streamArn: record.eventSourceArn,
      records: events,
      payload: streamEventPayload(events),
      now,
    });
    await writeFailureRecord(
      this.#deps.s3,
      this.#deps.logger,
      {
        account: record.accountId,
        bucket,
        key: failureObjectKey(`aws/lambda/${record.uuid}/${shardId}`, now),
      },
      failure,
    );
  }

  /** The records still young enough to send: within MaximumRecordAgeInSeconds and the stream's retention. */
  #unexpired(record: MappingRecord, items: Item[]): Item[] {
    const now = this.#deps.nowMs();
    const ageMaxMs =
      record.maximumRecordAgeInSeconds === -1 ? Infinity : record.maximumRecordAgeInSeconds * 1000;
    return items.filter(({ event }) => {
      const createdMs = event.dynamodb.ApproximateCreationDateTime * 1000;
      // Past the stream's retention the record is gone for every reader (streams.ts isTrimmed).
      return now - createdMs <= ageMaxMs && createdMs + 1000 > now - STREAM_RETENTION_MS;
    });
  }

  async #invoke(record: MappingRecord, items: Item[]): Promise<Outcome> {
    try {
      const { result, resolved } = await this.#deps.invoker.invoke({
        accountId: record.accountId,
        region: record.region,
        functionName: record.functionName,
        ...(record.qualifier !== undefined ? { qualifier: record.qualifier } : {}),
        payload: streamEventPayload(items.map((item) => item.event)),
        endpointUrl: this.#deps.endpointUrl(record),
      });
      if (result.functionError !== undefined) {
        return {
          kind: "error",
          response: { executedVersion: resolved.version, functionError: result.functionError },
        };
      }
      if (!record.functionResponseTypes.includes("ReportBatchItemFailures")) return { kind: "ok" };
      const outcome = batchItemFailures(result.payload, items);
      // A batch the function answered but reported (partly) failed: its record names the version that ran.
      if (outcome.kind === "partial" || outcome.kind === "error") {
        return { ...outcome, response: { executedVersion: resolved.version } };
      }
      return outcome;
    } catch (error) {
      if (
        isAwsError(error) &&
        (error.code === "TooManyRequestsException" || error.code === "ResourceConflictException")
      ) {
        return { kind: "throttled" };
      }
      // The function is gone (or Lambda is shutting down): a failed call, like a function error.
      this.#deps.logger.debug(`event source mapping ${record.uuid}: ${String(error)}`);
      return { kind: "error" };
    }
  }

  async #saveCheckpoint(record: MappingRecord, streamId: string, after: number): Promise<void> {
    await this.#deps.storage.transaction(async (tx) => {
      // A mapping deleted meanwhile keeps no checkpoint.
      if (!(await getMapping(tx, record.accountId, record.region, record.uuid))) return;
      putCheckpoint(tx, record, { v: MAPPING_FORMAT, streamId, after });
    });
  }

  async #setResult(record: MappingRecord, result: string): Promise<void> {
    if (record.lastProcessingResult === result) return;
    await this.#deps.storage.transaction(async (tx) => {
      const current = await getMapping(tx, record.accountId, record.region, record.uuid);
      if (!current || current.lastProcessingResult === result) return;
      putMapping(tx, { ...current, lastProcessingResult: result });
    });
    record.lastProcessingResult = result;
  }
}

/** Reads a ReportBatchItemFailures response (Lambda's success and failure conditions). */
export function batchItemFailures(payload: Buffer, items: readonly Item[]): Outcome {
  let response: unknown;
  try {
    response = JSON.parse(payload.toString("utf8"));
  } catch {
    return { kind: "ok" };
  }
  if (typeof response !== "object" || response === null || Array.isArray(response)) return { kind: "ok" };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: "ok" };
  if (!Array.isArray(failures)) return { kind: "error" };
  if (failures.length === 0) return { kind: "ok" };
  let lowest = Infinity;
  for (const failure of failures) {
    const identifier =
      typeof failure === "object" && failure !== null
        ? (failure as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    const index =
      typeof identifier === "string" && identifier !== ""
        ? items.findIndex((item) => item.event.dynamodb.SequenceNumber === identifier)
        : -1;
    if (index === -1) return { kind: "error" };
    lowest = Math.min(lowest, index);
  }
  return { kind: "partial", index: lowest };
}
