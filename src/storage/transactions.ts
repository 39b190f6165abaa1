/**
 * The transaction machinery both engines share, on top of a small `Engine` that only knows how to read
 * committed data and make a batch of writes durable.
 *
 * How a transaction runs: it takes the store's mutex, runs the callback (which may await) against its
 * own write buffer, then hands the buffer to the engine as one batch and releases the mutex at once,
 * before the batch is durable. Its promise resolves when the engine reports the batch durable. So while
 * one fsync is under way the next transactions run and queue their batches, and the engine commits
 * them together: many transactions, few fsyncs (group commit).
 *
 * Batches that are handed over but not yet durable sit in the overlay, so that the next transactions
 * see them (serialisability) before the engine does. A batch's entries leave the overlay when it is
 * durable, except entries a later batch has since rewritten, which belong to that later batch.
 */
import { compareBytes, copyBytes } from "./bytes.ts";
import type { KvEntry, KvRange, KvStore, KvTransaction } from "./kv.ts";
import { checkKey, checkRange } from "./limits.ts";
import { type LayerEntry, mergeLayers } from "./merge.ts";
import { Mutex } from "./mutex.ts";
import { type ByteMap, mapRange, newByteMap } from "./ordered-map.ts";

/** One write of a batch; value null deletes the key. */
export interface Write {
  key: Uint8Array;
  value: Uint8Array | null;
}

/** What an engine provides: committed data and durable atomic batches. Everything else is shared. */
export interface Engine {
  /** The committed value, as an array the caller may keep. */
  get(key: Uint8Array): Uint8Array | undefined;
  /**
   * Committed entries in [start, end), in order (descending with `reverse`); `limit` is ignored. The
   * scan's snapshot is fixed when this is called, not when iteration starts. Callers call `return()`
   * when they stop early.
   */
  scan(range: KvRange): Iterator<KvEntry>;
  /**
   * Commits the writes (sorted by key, each key once) atomically; resolves once they are durable and
   * visible to `get`/`scan`. Calls arrive in commit order and must be committed in that order.
   */
  write(writes: readonly Write[]): Promise<void>;
  /** Called once, after every `write` has settled. */
  close(): Promise<void>;
}

interface Batch {
  /** Submission order. */
  seq: number;
  /** Settles when this batch and every earlier one are durable; rejects if any of them failed. */
  durable: Promise<void>;
}

/**
 * The newest not-yet-durable batch a reader has seen (a value or a tombstone from the overlay). Waiting
 * for it covers every older one, since batches become durable in order. A read-only transaction waits
 * for it before answering, and a read outside a transaction before handing out what it read, so that
 * nothing is acknowledged on the strength of a write that a crash could still undo.
 */
class Observed {
  batch: Batch | undefined;

  add(batch: Batch): void {
    if (this.batch === undefined || batch.seq > this.batch.seq) this.batch = batch;
  }
}

interface Pending {
  value: Uint8Array | null;
  batch: Batch;
}

/** Builds the KvStore every engine exposes. */
export function createKvStore(engine: Engine): KvStore {
  return new TransactionalStore(engine);
}

class TransactionalStore implements KvStore {
  private readonly mutex = new Mutex();
  private readonly overlay = newByteMap<Pending>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private lastBatch: Batch | undefined;
  private nextSeq = 0;
  /** Per namespace (a key's first tuple item), bumped as each batch writing to it is handed over. */
  private readonly generations = new Map<string, number>();
  private failure: unknown;
  private closing: Promise<void> | undefined;

  constructor(private readonly engine: Engine) {}

  /** Reads outside a transaction: a value from a commit that is not yet durable waits until it is. */
  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.checkOpen();
    checkKey(key);
    // Nothing pending (the usual case for reads): go straight to the engine without the overlay's
    // ordered-map lookup. Same answer: an empty overlay holds no value for any key.
    if (this.overlay.size === 0) return this.engine.get(key);
    const pending = this.overlay.get(key);
    if (pending === undefined) return this.engine.get(key);
    await pending.batch.durable;
    return pending.value === null ? undefined : copyBytes(pending.value);
  }

  range(range: KvRange): AsyncIterable<KvEntry> {
    return this.read(range, undefined);
  }

  generation(namespace: string): number {
    return this.generations.get(namespace) ?? 0;
  }

  transaction<T>(work: (tx: KvTransaction) => Promise<T> | T): Promise<T> {
    // Deliberately no guard against calling this from inside a transaction callback, which waits
    // forever for the mutex its caller holds: detecting it needs AsyncLocalStorage, whose promise hooks
    // slow every promise in the process on Node 20. Use the `tx` you were given instead.
    if (this.closing !== undefined) return Promise.reject(closedError());
    const run = this.run(work);
    this.inFlight.add(run);
    // Two anonymous callbacks rather than one named `forget` for both: tsx compiles with esbuild's
    // keepNames, which wraps every named closure in a `__name()` call (an Object.defineProperty) each
    // time it is created, here on every transaction.
    run.then(
      () => this.inFlight.delete(run),
      () => this.inFlight.delete(run),
    );
    return run;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      await this.engine.close();
    })();
    return this.closing;
  }

  private async run<T>(work: (tx: KvTransaction) => Promise<T> | T): Promise<T> {
    await this.mutex.acquire();
    let waitFor: Batch | undefined;
    let result: T;
    const tx = new Transaction(this);
    try {
      if (this.failure !== undefined) throw failedError(this.failure);
      result = await work(tx);
      tx.finished = true;
      // A writer's own batch comes after any batch it read from, so waiting for it covers them.
      waitFor = tx.buffer !== undefined ? this.submit(tx.buffer) : tx.observed.batch;
    } finally {
      tx.finished = true;
      this.mutex.release();
    }
    await waitFor?.durable;
    return result;
  }

  /** Puts the writes in the overlay and hands them to the engine. Runs under the mutex. */
  private submit(buffer: ByteMap<Uint8Array | null>): Batch {
    const writes: Write[] = [];
    for (const [key, value] of buffer.entries()) writes.push({ key, value });
    const previous = this.lastBatch;
    const batch: Batch = { seq: this.nextSeq++, durable: Promise.resolve() };
    let namespace: string | undefined;
    for (const { key, value } of writes) {
      this.overlay.set(key, { value, batch });
      // Visible from now on (the overlay): a read begun before this saw the old value. Keys of one
      // batch mostly share their namespace, so it is bumped once per run of them.
      const next = namespaceOf(key);
      if (next !== namespace) {
        namespace = next;
        this.generations.set(next, (this.generations.get(next) ?? 0) + 1);
      }
    }
    let written: Promise<void>;
    try {
      written = this.engine.write(writes);
    } catch (error) {
      written = Promise.reject(error);
    }
    batch.durable = (async () => {
      try {
        await written;
        await previous?.durable; // already settled in practice: the engine commits in order
      } catch (error) {
        // A later transaction may have read this batch's writes; none of them can be trusted now,
        // so the store stops taking transactions (as PostgreSQL stops on a failed fsync).
        if (this.failure === undefined) this.failure = error;
        throw failedError(this.failure);
      } finally {
        for (const { key } of writes) {
          if (this.overlay.get(key)?.batch === batch) this.overlay.delete(key);
        }
      }
    })();
    this.lastBatch = batch;
    return batch;
  }

  /** Reads through, newest first: the transaction's own writes, the overlay, the engine. */
  async getIn(tx: Transaction, key: Uint8Array): Promise<Uint8Array | undefined> {
    let found = tx.buffer?.get(key);
    if (found === undefined) {
      // Empty overlay (nothing awaiting fsync): skip its lookup, as in get() above.
      if (this.overlay.size === 0) return this.engine.get(key);
      const pending = this.overlay.get(key);
      if (pending === undefined) return this.engine.get(key);
      tx.observed.add(pending.batch);
      found = pending.value;
    }
    return found === null ? undefined : copyBytes(found);
  }

  /**
   * A range read. Everything it reads from is frozen synchronously when iteration starts (O(1) clones of
   * the maps, and the engine's snapshot), so the result is one consistent view even if the caller
   * awaits between entries while other transactions commit.
   */
  async *read(range: KvRange, tx: Transaction | undefined): AsyncGenerator<KvEntry> {
    // A transaction queued before close() still runs to the end, reads included.
    if (tx === undefined) this.checkOpen();
    else tx.checkActive();
    checkRange(range);
    const { start, end, limit = Number.POSITIVE_INFINITY } = range;
    if (limit === 0 || (start !== undefined && end !== undefined && compareBytes(start, end) >= 0)) return;
    const observed = tx?.observed ?? new Observed();
    const layers: Iterator<LayerEntry>[] = [];
    if (tx?.buffer !== undefined) layers.push(bufferLayer(tx.buffer.clone(), range));
    if (this.overlay.size > 0) layers.push(overlayLayer(this.overlay.clone(), range, observed));
    const committed = this.engine.scan(range);
    layers.push(committed);
    try {
      let count = 0;
      let waited: Batch | undefined;
      for (const { key, value } of mergeLayers(layers, range.reverse === true)) {
        if (tx === undefined && observed.batch !== waited) {
          waited = observed.batch;
          await waited?.durable;
        }
        yield { key, value: value! };
        if (++count >= limit) return;
      }
      // Keys hidden by pending deletes count as read too: their absence is not durable either.
      if (tx === undefined) await observed.batch?.durable;
    } finally {
      committed.return?.();
    }
  }

  checkOpen(): void {
    if (this.closing !== undefined) throw closedError();
  }
}

/** The `tx` a transaction callback gets. Usable only while the callback runs. */
/**
 * The first tuple item of a key when it is a string (type code 0x02, escaped UTF-8, 0x00): the
 * service's name. Other keys share the namespace "". Read as latin1: only equality matters here.
 */
export function namespaceOf(key: Uint8Array): string {
  if (key[0] !== 0x02) return "";
  const end = key.indexOf(0x00, 1);
  return Buffer.from(key.buffer, key.byteOffset + 1, (end < 0 ? key.length : end) - 1).toString("latin1");
}

class Transaction implements KvTransaction {
  /** The transaction's writes (null = delete); created by the first one, so reads allocate none. */
  buffer: ByteMap<Uint8Array | null> | undefined;
  readonly observed = new Observed();
  finished = false;

  constructor(private readonly store: TransactionalStore) {}

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.checkActive();
    checkKey(key);
    return this.store.getIn(this, key);
  }

  range(range: KvRange): AsyncIterable<KvEntry> {
    return this.store.read(range, this);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.checkActive();
    checkKey(key);
    if (!(value instanceof Uint8Array)) throw new TypeError("Storage value must be a Uint8Array");
    // Private copies: the caller may reuse its arrays, and the engine may still read them after commit.
    this.buffer ??= newByteMap();
    this.buffer.set(copyBytes(key), copyBytes(value));
  }

  delete(key: Uint8Array): void {
    this.checkActive();
    checkKey(key);
    this.buffer ??= newByteMap();
    this.buffer.set(copyBytes(key), null);
  }

  checkActive(): void {
    if (this.finished)
      throw new Error("Storage transaction already finished: use it only inside its callback");
  }
}

/** A transaction's own writes, as copies (tombstones kept: they hide older layers). */
function* bufferLayer(buffer: ByteMap<Uint8Array | null>, range: KvRange): Generator<LayerEntry> {
  for (const [key, value] of mapRange(buffer, range)) {
    yield { key: copyBytes(key), value: value === null ? null : copyBytes(value) };
  }
}

/** Writes of commits that are not durable yet, as copies; notes each entry's batch as it is read. */
function* overlayLayer(overlay: ByteMap<Pending>, range: KvRange, observed: Observed): Generator<LayerEntry> {
  for (const [key, { value, batch }] of mapRange(overlay, range)) {
    observed.add(batch);
    yield { key: copyBytes(key), value: value === null ? null : copyBytes(value) };
  }
}

function closedError(): Error {
  return new Error("Storage is closed");
}

function failedError(cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`Storage stopped after a commit failed: ${reason}`, { cause });
}
