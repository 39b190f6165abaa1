/**
 * Batches function log events on their way into CloudWatch Logs, so the invoke path only pushes to
 * an array: a flush writes every pending stream (in one storage transaction of at most
 * `eventsPerWriteMax` events when the appender has `appendBatch`, else one per stream; a batch that
 * fails is written again stream by stream, so one stream's failure loses no other stream's events)
 * as soon as an invoke ends (`flushSoon`) but at most once per
 * `flushIntervalMs` (a busy function's invokes share flushes: a durable commit per warm invoke would
 * slow it down measurably), or `flushDelayMs` after the first pending line of a long invoke, one flush
 * at a time. A failed write is logged and dropped, never
 * reported to an invoke; past `pendingEventsMax` unwritten events new ones are dropped (and counted)
 * rather than growing memory without bound. `close` writes what is left, at shutdown.
 */
import { performance } from "node:perf_hooks";
import type { Logger } from "../../../log.ts";
import type { AppendEvent, StreamAppend } from "../../logs/store.ts";

/** The LogsStore methods the sink needs (tests can hand in their own). */
export interface LogAppender {
  appendEvents(
    account: string,
    region: string,
    group: string,
    stream: string,
    events: readonly AppendEvent[],
  ): Promise<void>;
  /** Several streams in one transaction, all or nothing (LogsStore has it). */
  appendBatch?(appends: readonly StreamAppend[]): Promise<void>;
}

/** Where one execution environment's events go. */
export interface LogDestination {
  accountId: string;
  region: string;
  group: string;
  stream: string;
}

export interface LogSinkOptions {
  /** The longest a line waits before a flush starts. Default 200 ms. */
  flushDelayMs?: number;
  /** Flushes after invoke ends start at least this far apart. Default 50 ms. */
  flushIntervalMs?: number;
  /** Unwritten events at most; more are dropped. Default 100,000. */
  pendingEventsMax?: number;
  /** Events per storage transaction at most. Default 5,000. */
  eventsPerWriteMax?: number;
}

interface PendingStream {
  destination: LogDestination;
  events: AppendEvent[];
}

export class FunctionLogSink {
  readonly #appender: LogAppender;
  readonly #logger: Logger;
  readonly #flushDelayMs: number;
  readonly #flushIntervalMs: number;
  readonly #pendingEventsMax: number;
  readonly #eventsPerWriteMax: number;
  #pending = new Map<string, PendingStream>();
  /**
   * Each destination's key in #pending, by the destination object: an environment's log appends
   * every line with the same object, so the four-part key is built once per environment, not once
   * per event (three or more per invoke).
   */
  #keys = new WeakMap<LogDestination, string>();
  #pendingCount = 0;
  #dropped = 0;
  #timer: NodeJS.Timeout | undefined;
  #soon = false;
  #lastFlushMs = Number.NEGATIVE_INFINITY;
  #flushing: Promise<void> | undefined;
  #closed = false;

  constructor(appender: LogAppender, logger: Logger, options: LogSinkOptions = {}) {
    this.#appender = appender;
    this.#logger = logger;
    this.#flushDelayMs = options.flushDelayMs ?? 200;
    this.#flushIntervalMs = options.flushIntervalMs ?? 50;
    this.#pendingEventsMax = options.pendingEventsMax ?? 100_000;
    this.#eventsPerWriteMax = options.eventsPerWriteMax ?? 5_000;
  }

  /** Queues one event; a flush follows within `flushDelayMs`. */
  append(destination: LogDestination, event: AppendEvent): void {
    if (this.#closed) return;
    if (this.#pendingCount >= this.#pendingEventsMax) {
      this.#dropped++;
      return;
    }
    let key = this.#keys.get(destination);
    if (key === undefined) {
      key = `${destination.accountId}\0${destination.region}\0${destination.group}\0${destination.stream}`;
      this.#keys.set(destination, key);
    }
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      pending = { destination, events: [] };
      this.#pending.set(key, pending);
    }
    pending.events.push(event);
    this.#pendingCount++;
    if (this.#timer === undefined && !this.#soon) {
      this.#timer = setTimeout(() => this.#flushInBackground(), this.#flushDelayMs);
      this.#timer.unref();
    }
  }

  /** An invoke ended: write its lines once the event loop is free, or with the next flush due. */
  flushSoon(): void {
    if (this.#soon || this.#closed) return;
    this.#soon = true;
    const waitMs = this.#lastFlushMs + this.#flushIntervalMs - performance.now();
    if (waitMs <= 0) {
      setImmediate(() => this.#flushInBackground());
      return;
    }
    const timer = setTimeout(() => this.#flushInBackground(), waitMs);
    timer.unref();
  }

  /** Writes everything pending (after the flush already running, if any). */
  async flush(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
    this.#soon = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pendingCount === 0) return;
    this.#lastFlushMs = performance.now();
    const batch = [...this.#pending.values()];
    this.#pending = new Map();
    this.#pendingCount = 0;
    const writing = this.#write(batch);
    this.#flushing = writing;
    try {
      await writing;
    } finally {
      if (this.#flushing === writing) this.#flushing = undefined;
    }
  }

  /** At shutdown: writes what is pending; later events are ignored. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Events waiting to be written (for tests and diagnostics). */
  get pendingCount(): number {
    return this.#pendingCount;
  }

  #flushInBackground(): void {
    this.flush().catch((error: unknown) => this.#logger.warn(`lambda function logs: ${String(error)}`));
  }

  async #write(batch: PendingStream[]): Promise<void> {
    if (this.#dropped > 0) {
      this.#logger.warn(
        `lambda function logs: dropped ${this.#dropped} events (more than ${this.#pendingEventsMax} unwritten)`,
      );
      this.#dropped = 0;
    }
    // Each stream's events in slices of at most eventsPerWriteMax, in order.
    const slices: PendingStream[] = [];
    for (const { destination, events } of batch) {
      if (events.length <= this.#eventsPerWriteMax) {
        slices.push({ destination, events });
        continue;
      }
      for (let start = 0; start < events.length; start += this.#eventsPerWriteMax) {
        slices.push({ destination, events: events.slice(start, start + this.#eventsPerWriteMax) });
      }
    }
    if (this.#appender.appendBatch === undefined) {
      for (const slice of slices) await this.#writeOne(slice);
      return;
    }
    // Consecutive slices share a transaction while their events fit in eventsPerWriteMax.
    let group: PendingStream[] = [];
    let count = 0;
    for (const slice of slices) {
      if (count + slice.events.length > this.#eventsPerWriteMax && group.length > 0) {
        await this.#writeBatch(group);
        group = [];
        count = 0;
      }
      group.push(slice);
      count += slice.events.length;
    }
    if (group.length > 0) await this.#writeBatch(group);
  }

  async #writeBatch(slices: PendingStream[]): Promise<void> {
    if (slices.length === 1) {
      await this.#writeOne(slices[0]!);
      return;
    }
    try {
      await this.#appender.appendBatch!(
        slices.map(({ destination, events }) => ({
          account: destination.accountId,
          region: destination.region,
          group: destination.group,
          stream: destination.stream,
          events,
        })),
      );
    } catch {
      // Nothing of the batch was written: each stream on its own, so only a failing one is lost.
      for (const slice of slices) await this.#writeOne(slice);
    }
  }

  async #writeOne({ destination, events }: PendingStream): Promise<void> {
    try {
      await this.#appender.appendEvents(
        destination.accountId,
        destination.region,
        destination.group,
        destination.stream,
        events,
      );
    } catch (error) {
      this.#logger.warn(
        `lambda function logs: ${events.length} events for ${destination.group} ${destination.stream} were not written: ${String(error)}`,
      );
    }
  }
}
