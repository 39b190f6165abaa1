/**
 * Batches function log events on their way into CloudWatch Logs, so the invoke path only pushes to
 * an array: a flush writes every pending stream (one storage transaction per stream and at most
 * `eventsPerWriteMax` events) as soon as an invoke ends (`flushSoon`) but at most once per
 * `flushIntervalMs` (a busy function's invokes share flushes: a durable commit per warm invoke would
 * slow it down measurably), or `flushDelayMs` after the first pending line of a long invoke, one flush
 * at a time. A failed write is logged and dropped, never
 * reported to an invoke; past `pendingEventsMax` unwritten events new ones are dropped (and counted)
 * rather than growing memory without bound. `close` writes what is left, at shutdown.
 */
import { performance } from "node:perf_hooks";
import type { Logger } from "../../../log.ts";
import type { AppendEvent } from "../../logs/store.ts";

/** The one LogsStore method the sink needs (tests can hand in their own). */
export interface LogAppender {
  appendEvents(
    account: string,
    region: string,
    group: string,
    stream: string,
    events: readonly AppendEvent[],
  ): Promise<void>;
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
    const key = `${destination.accountId}\0${destination.region}\0${destination.group}\0${destination.stream}`;
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
    for (const { destination, events } of batch) {
      for (let start = 0; start < events.length; start += this.#eventsPerWriteMax) {
        const slice = events.slice(start, start + this.#eventsPerWriteMax);
        try {
          await this.#appender.appendEvents(
            destination.accountId,
            destination.region,
            destination.group,
            destination.stream,
            slice,
          );
        } catch (error) {
          this.#logger.warn(
            `lambda function logs: ${slice.length} events for ${destination.group} ${destination.stream} were not written: ${String(error)}`,
          );
        }
      }
    }
  }
}
