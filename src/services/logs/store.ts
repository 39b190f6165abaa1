/**
 * CloudWatch Logs state over the shared KV store, per account and region. No HTTP here: operations
 * (operations/) and other services (Lambda's function logs, through `appendEvents`) both call it.
 *
 * Layout (tuple keys, values JSON):
 *   ("logs", account, region, "g", group)                         GroupRecord
 *   ("logs", account, region, "s", group, stream)                 StreamRecord
 *   ("logs", account, region, "e", group, stream, timestamp, seq) EventRecord
 * so a stream's events in a time window are one range scan, and `seq` (per stream, from 1) keeps
 * events of the same millisecond in the order they were put. Names are at most 512 characters, so keys
 * stay well under the 4026-byte limit.
 *
 * Retention is applied on read (events older than the group's retention are never returned) and by a
 * sweep every `sweepIntervalMs` that deletes them.
 */
import type { Clock } from "../../aws/clock.ts";
import type { Logger } from "../../log.ts";
import type { KvReader, KvStore, KvTransaction } from "../../storage/kv.ts";
import { decodeTuple, tuple, tupleRange } from "../../storage/tuple.ts";

const SERVICE = "logs";
/** ("logs-retention", account, region, group): the groups with a retention, for the sweep. */
const RETENTION_INDEX = "logs-retention";
const DAY_MS = 24 * 60 * 60 * 1000;
/** The largest timestamp a key can hold (tuple integers are non-negative safe integers). */
export const TIMESTAMP_MAX = Number.MAX_SAFE_INTEGER;

export interface GroupRecord {
  name: string;
  creationTime: number;
  retentionInDays?: number;
}

export interface StreamRecord {
  name: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
  /** The seq of the stream's last event (0 before any). */
  seq: number;
}

export interface StoredEvent {
  stream: string;
  timestamp: number;
  seq: number;
  message: string;
  ingestionTime: number;
}

/** An event as other services hand it over. */
export interface AppendEvent {
  timestamp: number;
  message: string;
}

/** A position between events of one stream: after (timestamp, seq). */
export interface EventPosition {
  timestamp: number;
  seq: number;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const encode = (value: unknown) => utf8.encode(JSON.stringify(value));
const decode = <T>(bytes: Uint8Array): T => JSON.parse(fromUtf8.decode(bytes)) as T;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export interface LogsStoreOptions {
  /** How often expired events are deleted; 0 turns the sweep off. */
  sweepIntervalMs?: number;
}

export class LogsStore {
  readonly storage: KvStore;
  readonly clock: Clock;
  readonly #logger: Logger;
  readonly #sweepIntervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | undefined;

  constructor(deps: { storage: KvStore; clock: Clock; logger: Logger }, options: LogsStoreOptions = {}) {
    this.storage = deps.storage;
    this.clock = deps.clock;
    this.#logger = deps.logger;
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  }

  nowMs(): number {
    return this.clock.now().getTime();
  }

  // Groups

  groupKey(account: string, region: string, group: string): Uint8Array {
    return tuple(SERVICE, account, region, "g", group);
  }

  async getGroup(r: KvReader, account: string, region: string, group: string) {
    const bytes = await r.get(this.groupKey(account, region, group));
    return bytes && decode<GroupRecord>(bytes);
  }

  putGroup(tx: KvTransaction, account: string, region: string, record: GroupRecord): void {
    tx.put(this.groupKey(account, region, record.name), encode(record));
    const indexKey = tuple(RETENTION_INDEX, account, region, record.name);
    if (record.retentionInDays === undefined) tx.delete(indexKey);
    else tx.put(indexKey, new Uint8Array(0));
  }

  /** Groups in name order, from `after` (exclusive) on. */
  async *groups(r: KvReader, account: string, region: string, after?: string) {
    const range = tupleRange(SERVICE, account, region, "g");
    const start = after === undefined ? range.start : tuple(SERVICE, account, region, "g", after, 0);
    for await (const entry of r.range({ start, end: range.end })) yield decode<GroupRecord>(entry.value);
  }

  /** Deletes a group with its streams and events. */
  async deleteGroup(tx: KvTransaction, account: string, region: string, group: string) {
    tx.delete(this.groupKey(account, region, group));
    tx.delete(tuple(RETENTION_INDEX, account, region, group));
    for (const kind of ["s", "e"]) {
      for await (const entry of tx.range(tupleRange(SERVICE, account, region, kind, group))) {
        tx.delete(entry.key);
      }
    }
  }

  // Streams

  streamKey(account: string, region: string, group: string, stream: string): Uint8Array {
    return tuple(SERVICE, account, region, "s", group, stream);
  }

  async getStream(r: KvReader, account: string, region: string, group: string, stream: string) {
    const bytes = await r.get(this.streamKey(account, region, group, stream));
    return bytes && decode<StreamRecord>(bytes);
  }

  putStream(tx: KvTransaction, account: string, region: string, group: string, record: StreamRecord) {
    tx.put(this.streamKey(account, region, group, record.name), encode(record));
  }

  /** Streams of a group in name order (or reverse), from `after` (exclusive) on. */
  async *streams(
    r: KvReader,
    account: string,
    region: string,
    group: string,
    options: { after?: string; reverse?: boolean } = {},
  ) {
    const range = tupleRange(SERVICE, account, region, "s", group);
    let { start, end } = range;
    if (options.after !== undefined) {
      if (options.reverse) end = tuple(SERVICE, account, region, "s", group, options.after);
      else start = tuple(SERVICE, account, region, "s", group, options.after, 0);
    }
    for await (const entry of r.range({ start, end, reverse: options.reverse })) {
      yield decode<StreamRecord>(entry.value);
    }
  }

  async deleteStream(tx: KvTransaction, account: string, region: string, group: string, stream: string) {
    tx.delete(this.streamKey(account, region, group, stream));
    for await (const entry of tx.range(tupleRange(SERVICE, account, region, "e", group, stream))) {
      tx.delete(entry.key);
    }
  }

  // Events

  /** Stores events (any order) in an existing stream and updates its record. */
  putEvents(
    tx: KvTransaction,
    account: string,
    region: string,
    group: string,
    stream: StreamRecord,
    events: readonly AppendEvent[],
  ): void {
    const ingestionTime = this.nowMs();
    for (const event of events) {
      stream.seq += 1;
      const key = tuple(SERVICE, account, region, "e", group, stream.name, event.timestamp, stream.seq);
      tx.put(key, encode({ m: event.message, i: ingestionTime }));
      stream.storedBytes += utf8Bytes(event.message);
      stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? event.timestamp, event.timestamp);
      stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? event.timestamp, event.timestamp);
    }
    if (events.length > 0) stream.lastIngestionTime = ingestionTime;
    this.putStream(tx, account, region, group, stream);
  }

  /**
   * Events of one stream strictly between two positions, in time order (or reverse), at most `limit`.
   * `from` is exclusive (events after it); `to` is exclusive (events before it).
   */
  async *events(
    r: KvReader,
    account: string,
    region: string,
    group: string,
    stream: string,
    options: { from?: EventPosition; to?: EventPosition; reverse?: boolean; limit?: number },
  ): AsyncGenerator<StoredEvent> {
    const range = tupleRange(SERVICE, account, region, "e", group, stream);
    const at = (p: EventPosition) => tuple(SERVICE, account, region, "e", group, stream, p.timestamp, p.seq);
    const start = options.from
      ? at({ timestamp: options.from.timestamp, seq: options.from.seq + 1 })
      : range.start;
    const end = options.to ? at(options.to) : range.end;
    for await (const entry of r.range({ start, end, reverse: options.reverse, limit: options.limit })) {
      const items = decodeTuple(entry.key);
      const value = decode<{ m: string; i: number }>(entry.value);
      yield {
        stream,
        timestamp: items[items.length - 2] as number,
        seq: items[items.length - 1] as number,
        message: value.m,
        ingestionTime: value.i,
      };
    }
  }

  /** The earliest timestamp a read may return for a group (retention applied on read). */
  retentionCutoff(group: GroupRecord): number {
    if (group.retentionInDays === undefined) return 0;
    return Math.max(0, this.nowMs() - group.retentionInDays * DAY_MS);
  }

  /**
   * The in-process API for other services (Lambda writes its function logs here): appends events to
   * GROUP/STREAM, creating both as needed, as AWS Lambda does. Events need not be sorted; negative
   * timestamps are clamped to 0. Returns once the events are durable.
   */
  async appendEvents(
    account: string,
    region: string,
    group: string,
    stream: string,
    events: readonly AppendEvent[],
  ): Promise<void> {
    const clean = events.map((e) => ({
      timestamp: Math.max(0, Math.min(TIMESTAMP_MAX, Math.trunc(e.timestamp))),
      message: e.message,
    }));
    await this.storage.transaction(async (tx) => {
      const now = this.nowMs();
      if (!(await this.getGroup(tx, account, region, group))) {
        this.putGroup(tx, account, region, { name: group, creationTime: now });
      }
      const record = (await this.getStream(tx, account, region, group, stream)) ?? {
        name: stream,
        creationTime: now,
        storedBytes: 0,
        seq: 0,
      };
      this.putEvents(tx, account, region, group, record, clean);
    });
  }

  // Retention sweep

  start(): void {
    if (this.#sweepIntervalMs <= 0) return;
    this.#timer = setInterval(() => {
      if (this.#sweeping !== undefined) return;
      this.#sweeping = this.sweep()
        .catch((error: unknown) => this.#logger.warn(`logs retention sweep failed: ${String(error)}`))
        .finally(() => {
          this.#sweeping = undefined;
        });
    }, this.#sweepIntervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#sweeping;
  }

  /** Deletes the events older than their group's retention, one group per transaction. */
  async sweep(): Promise<void> {
    const groups: [account: string, region: string, group: string][] = [];
    for await (const entry of this.storage.range(tupleRange(RETENTION_INDEX))) {
      const [, account, region, group] = decodeTuple(entry.key) as string[];
      groups.push([account as string, region as string, group as string]);
    }
    for (const [account, region, group] of groups) {
      await this.storage.transaction(async (tx) => {
        const record = await this.getGroup(tx, account, region, group);
        if (!record) return;
        const cutoff = this.retentionCutoff(record);
        for await (const stream of this.streams(tx, account, region, record.name)) {
          const to = { timestamp: cutoff, seq: 0 };
          let removed = 0;
          for await (const event of this.events(tx, account, region, group, stream.name, { to })) {
            tx.delete(tuple(SERVICE, account, region, "e", group, stream.name, event.timestamp, event.seq));
            stream.storedBytes = Math.max(0, stream.storedBytes - utf8Bytes(event.message));
            removed++;
          }
          if (removed > 0) this.putStream(tx, account, region, group, stream);
        }
      });
    }
  }
}
