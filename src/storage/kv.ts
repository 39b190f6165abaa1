/**
 * The ordered key-value store every service keeps its state in.
 *
 * Keys and values are bytes; keys sort by unsigned byte order (memcmp). The interface is async so that a
 * networked engine (PostgreSQL-compatible, for several Stratus nodes) can fill it later; the embedded
 * engine answers from memory-mapped pages and resolves at once.
 *
 * Guarantees every engine gives (checked by the shared suite in test/unit/storage/):
 * - `transaction()` is serialisable: the callback may await between reads and writes, and no other
 *   transaction's writes interleave with it. Its writes become visible to others together.
 * - The promise of `transaction()` resolves only after the writes are durable (fsync'd by the embedded
 *   engine). A write acknowledged to a client therefore survives `kill -9`.
 * - Reads outside a transaction see every transaction whose promise has resolved.
 *
 * What the engines in this folder add (see transactions.ts):
 * - Keys are 1 to MAX_KEY_BYTES (4026, limits.ts) bytes; a bad key throws inside the transaction,
 *   which then rolls back. Build keys with tuple.ts, scan a key prefix with `tupleRange`.
 * - Values and keys handed out are plain Uint8Arrays the caller owns; arrays handed in are copied.
 * - A range is one consistent snapshot, taken when iteration starts.
 * - Reads see commits that are handed to the engine but not yet durable (the next transaction must);
 *   a read outside a transaction that finds such data waits until it is durable before answering, and a
 *   read-only transaction that read such data resolves only once it is durable.
 * - Never call `store.transaction()` inside a transaction callback: it waits for the lock its caller
 *   holds, forever. Use the `tx` you were given.
 * - After a commit fails (disk full, I/O error) the store refuses further transactions: restart.
 */
export interface KvRange {
  /** Inclusive lower bound; omitted = from the first key. */
  start?: Uint8Array;
  /** Exclusive upper bound; omitted = to the last key. */
  end?: Uint8Array;
  /** Walk from the end towards the start. */
  reverse?: boolean;
  /** At most this many entries. */
  limit?: number;
}

export interface KvEntry {
  key: Uint8Array;
  value: Uint8Array;
}

export interface KvReader {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Entries in key order (or reverse order); bounded by `limit` and the range. */
  range(range: KvRange): AsyncIterable<KvEntry>;
}

export interface KvTransaction extends KvReader {
  /** Reads within the transaction see its own earlier writes. */
  put(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
}

export interface KvStore extends KvReader {
  /**
   * A number that changes whenever writes to keys of `namespace` (a key's first tuple item, the
   * service: storage/tuple.ts) become visible: it moves when a transaction's batch is handed over.
   * A value read outside a transaction while it stayed the same is still what storage holds, so a
   * cache of decoded reads can skip the read (storage/decoded-reads.ts).
   */
  generation(namespace: string): number;
  /**
   * Runs `work` as one serialisable transaction and commits its writes atomically and durably. If
   * `work` throws, nothing is written and the error propagates.
   */
  transaction<T>(work: (tx: KvTransaction) => Promise<T> | T): Promise<T>;
  /** Waits for in-flight commits, then releases the engine. Further calls reject. */
  close(): Promise<void>;
}
