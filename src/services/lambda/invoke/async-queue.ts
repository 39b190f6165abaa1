/**
 * InvocationType Event: the durable queue of accepted events. Invoke's 202 is an acknowledgement, so
 * `accept()` commits the event to the KV store before it resolves, and an event leaves the store only
 * when it is finished (run, delivered to its destination, or discarded). On start, `start()` schedules
 * every event a previous run of Stratus left behind, so a restart loses nothing acknowledged.
 *
 * What happens to an event at each attempt is the processor's business (async/processor.ts: retries,
 * event age, destinations); this file only stores, schedules and resumes. A processor answers either
 * "try again at T" (persisted when the event's state changed, kept in memory for throttles, which
 * are cheap to lose: a resumed event is simply tried at once) or "done", with any follow-up events
 * (a Lambda destination's invocation record is itself an async event), which are stored in the same
 * transaction that removes the finished event, so a record is never lost nor delivered twice by us.
 *
 * Keys: ("lambda", account, region, "async", id) → AsyncEvent (JSON, `v: 1`). Ordering is not kept,
 * as on AWS.
 *
 * ## By design
 * - At least once: an attempt that was running when Stratus stopped runs again after the restart.
 * - A resumed event runs with the AWS_ENDPOINT_URL its Invoke came in on.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../../../aws/clock.ts";
import type { Logger } from "../../../log.ts";
import type { KvStore } from "../../../storage/kv.ts";
import { decodeTuple, tuple, tupleRange } from "../../../storage/tuple.ts";

export const ASYNC_EVENT_FORMAT = 1;

/** What the last attempt answered, kept for the invocation record of a later EventAgeExceeded. */
export interface AsyncAttemptResponse {
  executedVersion: string;
  functionError?: string;
  /** The function's answer, base64. */
  payload: string;
}

export interface AsyncEvent {
  v: typeof ASYNC_EVENT_FORMAT;
  /** Key of the event; unique. */
  id: string;
  accountId: string;
  region: string;
  /** The function's name. */
  functionName: string;
  /** The qualifier the event was sent to (alias, version, $LATEST); undefined = unqualified. */
  qualifier?: string;
  /** The payload, base64. */
  payload: string;
  /** The function sees it as context.awsRequestId, on every attempt (as on AWS). */
  requestId: string;
  /** AWS_ENDPOINT_URL for the environment. */
  endpointUrl: string;
  clientContext?: string;
  /** When Invoke accepted it (clock ms): the event's age counts from here. */
  acceptedAtMs: number;
  /** Not before this time (clock ms). */
  notBeforeMs: number;
  /** Attempts that reached the function (approximateInvokeCount). */
  invokeCount: number;
  lastResponse?: AsyncAttemptResponse;
  /** Throttled attempts in a row (for the backoff); not worth a write of its own. */
  throttles?: number;
}

export interface NewAsyncEvent {
  accountId: string;
  region: string;
  functionName: string;
  qualifier?: string;
  payload: Buffer;
  /** Default: a fresh UUID. */
  requestId?: string;
  endpointUrl: string;
  clientContext?: string;
}

export type AsyncOutcome =
  /** Finished: remove it; store and schedule the follow-ups. */
  | { kind: "done"; followUps?: AsyncEvent[] }
  /** Try again at `event.notBeforeMs`; `persist` when the stored copy must change (invokeCount). */
  | { kind: "retry"; event: AsyncEvent; persist: boolean };

export type AsyncProcessor = (event: AsyncEvent) => Promise<AsyncOutcome>;

export interface AsyncQueueDeps {
  storage: KvStore;
  clock: Clock;
  logger: Logger;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function asyncEventKey(accountId: string, region: string, id: string): Uint8Array {
  return tuple("lambda", accountId, region, "async", id);
}

/** An event as Invoke (or a destination) hands it over, ready to store. */
export function newAsyncEvent(input: NewAsyncEvent, nowMs: number): AsyncEvent {
  const requestId = input.requestId ?? randomUUID();
  return {
    v: ASYNC_EVENT_FORMAT,
    id: requestId,
    accountId: input.accountId,
    region: input.region,
    functionName: input.functionName,
    ...(input.qualifier !== undefined ? { qualifier: input.qualifier } : {}),
    payload: input.payload.toString("base64"),
    requestId,
    endpointUrl: input.endpointUrl,
    ...(input.clientContext !== undefined ? { clientContext: input.clientContext } : {}),
    acceptedAtMs: nowMs,
    notBeforeMs: nowMs,
    invokeCount: 0,
  };
}

export class AsyncInvokeQueue {
  readonly #deps: AsyncQueueDeps;
  #processor: AsyncProcessor | undefined;
  /** Events this process has scheduled or is running, by key: at most one timer or run each. */
  readonly #known = new Map<string, NodeJS.Timeout | "running">();
  /** Throttle retries are kept here, not stored: the latest copy of such an event. */
  readonly #unsaved = new Map<string, AsyncEvent>();
  #closed = false;

  constructor(deps: AsyncQueueDeps) {
    this.#deps = deps;
  }

  /** Events accepted and not finished that this process knows of. */
  get pending(): number {
    return this.#known.size;
  }

  /**
   * Stores the event durably, then schedules it. Resolves once the event survives a crash: answer
   * 202 only after this.
   */
  async accept(input: NewAsyncEvent): Promise<void> {
    const event = newAsyncEvent(input, this.#deps.clock.now().getTime());
    await this.#deps.storage.transaction((tx) => {
      tx.put(asyncEventKey(event.accountId, event.region, event.id), encode(event));
    });
    this.#schedule(event);
  }

  /** Sets the processor and schedules the events stored by earlier runs. */
  async start(processor: AsyncProcessor): Promise<void> {
    this.#processor = processor;
    let resumed = 0;
    for await (const event of this.#stored()) {
      if (this.#closed) return;
      this.#schedule(event);
      resumed++;
    }
    if (resumed > 0) this.#deps.logger.info(`lambda: resumed ${resumed} queued async invocation(s)`);
  }

  /** Stops scheduling; stored events stay for the next start. Running attempts' outcomes are dropped. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#known.values()) {
      if (entry !== "running") clearTimeout(entry);
    }
    this.#known.clear();
    this.#unsaved.clear();
  }

  /**
   * Every stored event, account by account: skips from one (account, region) to the next so that
   * only the async keys are read, not the functions and versions between them.
   */
  async *#stored(): AsyncGenerator<AsyncEvent> {
    const all = tupleRange("lambda");
    let start = all.start;
    for (;;) {
      let first: Uint8Array | undefined;
      for await (const entry of this.#deps.storage.range({ start, end: all.end, limit: 1 }))
        first = entry.key;
      if (first === undefined) return;
      const [accountId, region] = accountAndRegion(first);
      if (accountId === undefined || region === undefined) {
        // Not a (lambda, account, region, …) key: step over this one key.
        start = afterKey(first);
        continue;
      }
      for await (const entry of this.#deps.storage.range(tupleRange("lambda", accountId, region, "async"))) {
        yield JSON.parse(decoder.decode(entry.value)) as AsyncEvent;
      }
      start = tupleRange("lambda", accountId, region).end;
    }
  }

  #schedule(event: AsyncEvent): void {
    const key = mapKey(event);
    if (this.#closed || this.#processor === undefined || this.#known.has(key)) return;
    const delayMs = Math.max(0, event.notBeforeMs - this.#deps.clock.now().getTime());
    const timer = setTimeout(() => void this.#run(event), delayMs);
    // Queued events must not keep a process alive that is otherwise done (tests, CLI).
    timer.unref();
    this.#known.set(key, timer);
  }

  async #run(scheduled: AsyncEvent): Promise<void> {
    const key = mapKey(scheduled);
    const processor = this.#processor;
    if (this.#closed || processor === undefined) return;
    this.#known.set(key, "running");
    try {
      const event = this.#unsaved.get(key) ?? (await this.#load(scheduled));
      this.#unsaved.delete(key);
      if (event === undefined) {
        this.#known.delete(key);
        return;
      }
      let outcome: AsyncOutcome;
      try {
        outcome = await processor(event);
      } catch (error) {
        // A bug or an unexpected failure: try again later rather than lose the event; the processor's
        // event-age check ends the loop.
        this.#deps.logger.warn(`lambda async invocation ${event.requestId}: ${(error as Error).message}`);
        outcome = { kind: "retry", event: { ...event, notBeforeMs: this.#nowMs() + 60_000 }, persist: false };
      }
      if (this.#closed) return;
      await this.#settle(key, event, outcome);
    } catch (error) {
      // Storage failed (closing, disk): the stored copy is still there for the next start.
      this.#known.delete(key);
      if (!this.#closed) this.#deps.logger.warn(`lambda async queue: ${(error as Error).message}`);
    }
  }

  async #settle(key: string, event: AsyncEvent, outcome: AsyncOutcome): Promise<void> {
    const storeKey = asyncEventKey(event.accountId, event.region, event.id);
    if (outcome.kind === "retry") {
      if (outcome.persist) {
        await this.#deps.storage.transaction((tx) => tx.put(storeKey, encode(outcome.event)));
      } else {
        this.#unsaved.set(key, outcome.event);
      }
      this.#known.delete(key);
      this.#schedule(outcome.event);
      return;
    }
    const followUps = outcome.followUps ?? [];
    await this.#deps.storage.transaction((tx) => {
      tx.delete(storeKey);
      for (const next of followUps) tx.put(asyncEventKey(next.accountId, next.region, next.id), encode(next));
    });
    this.#known.delete(key);
    for (const next of followUps) this.#schedule(next);
  }

  async #load(event: AsyncEvent): Promise<AsyncEvent | undefined> {
    const value = await this.#deps.storage.get(asyncEventKey(event.accountId, event.region, event.id));
    return value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as AsyncEvent);
  }

  #nowMs(): number {
    return this.#deps.clock.now().getTime();
  }
}

function mapKey(event: AsyncEvent): string {
  return `${event.accountId}\0${event.region}\0${event.id}`;
}

function encode(event: AsyncEvent): Uint8Array {
  return encoder.encode(JSON.stringify(event));
}

/** The account and region items of a ("lambda", account, region, …) key; undefined for other keys. */
function accountAndRegion(key: Uint8Array): [string | undefined, string | undefined] {
  try {
    const [, accountId, region] = decodeTuple(key);
    return typeof accountId === "string" && typeof region === "string"
      ? [accountId, region]
      : [undefined, undefined];
  } catch {
    return [undefined, undefined];
  }
}

/** The smallest key after `key`. */
function afterKey(key: Uint8Array): Uint8Array {
  const next = new Uint8Array(key.length + 1);
  next.set(key);
  return next;
}
