/**
 * The embedded engine: LMDB through the `lmdb` package, raw binary keys (memcmp order) and values.
 *
 * Durability: lmdb-js on Linux and macOS defaults to `overlappingSync`, where a write's promise resolves
 * when the LMDB transaction is committed and visible, and the fsync finishes later, overlapped with the
 * next transaction. `separateFlushed` gives each write promise a `flushed` promise for that later
 * moment, and `write()` below resolves only on it: acknowledged means on disk.
 *
 * Group commit: lmdb-js puts every write queued while its writer thread is busy (and, by default, all
 * writes of one event turn) into one LMDB transaction, so the batches of many concurrent Stratus
 * transactions share a commit and an fsync. The shared layer makes that possible by handing over each
 * batch without waiting for the previous one to be durable.
 */
import { mkdir } from "node:fs/promises";
import { open, type RangeOptions, type RootDatabase } from "lmdb";
import type { KvEntry, KvRange, KvStore } from "./kv.ts";
import { MAX_KEY_BYTES } from "./limits.ts";
import { createKvStore, type Engine, type Write } from "./transactions.ts";

/** Figures for health checks and tests. */
export interface LmdbStats {
  /** LMDB's id of its last write transaction: how many commits (and fsyncs) there have been. */
  lastTxnId: number;
  pageSize: number;
  entryCount: number;
}

export type LmdbKvStore = KvStore & { stats(): LmdbStats };

// The page size decides the longest key LMDB takes (4026 bytes with 8 KiB pages, 1978 with 4 KiB); it is
// fixed when a database is created, so every database Stratus creates uses 8 KiB.
const PAGE_SIZE = 8192;

type CommitPromise = Promise<boolean> & { flushed?: Promise<boolean> };

export async function openLmdbStore(path: string): Promise<LmdbKvStore> {
  await mkdir(path, { recursive: true });
  const db: RootDatabase<Buffer, Buffer> = open<Buffer, Buffer>(path, {
    keyEncoding: "binary",
    encoding: "binary",
    pageSize: PAGE_SIZE,
    separateFlushed: true,
  });
  const maxKeySize = (db as unknown as { maxKeySize?: number }).maxKeySize ?? 0;
  if (maxKeySize < MAX_KEY_BYTES) {
    await db.close();
    throw new Error(
      `LMDB database at ${path} takes keys of at most ${maxKeySize} bytes; Stratus needs ${MAX_KEY_BYTES} (8 KiB pages)`,
    );
  }
  const store = createKvStore(lmdbEngine(db));
  return Object.assign(store, {
    stats(): LmdbStats {
      const s = db.getStats() as { lastTxnId: number; pageSize: number; entryCount: number };
      return { lastTxnId: s.lastTxnId, pageSize: s.pageSize, entryCount: s.entryCount };
    },
  });
}

function lmdbEngine(db: RootDatabase<Buffer, Buffer>): Engine {
  return {
    get(key) {
      const value = db.get(asBuffer(key));
      return value === undefined ? undefined : plain(value);
    },
    scan(range: KvRange): Iterator<KvEntry> {
      // Taking the iterator now makes lmdb-js open its cursor, and with it the read snapshot, now.
      const cursor = db.getRange(rangeOptions(range))[Symbol.iterator]();
      return {
        next() {
          const step = cursor.next();
          if (step.done) return { done: true, value: undefined };
          return { done: false, value: { key: plain(step.value.key), value: plain(step.value.value) } };
        },
        return() {
          cursor.return?.();
          return { done: true, value: undefined };
        },
      };
    },
    async write(writes: readonly Write[]) {
      // One lmdb-js batch is one atomic unit inside one LMDB transaction. Keys were checked when they
      // were written to the transaction, so nothing in here can throw halfway through.
      const committed: CommitPromise = db.batch(() => {
        for (const { key, value } of writes) {
          // Inside a batch these return an already-resolved promise; the outcome is `committed`'s.
          if (value === null) void db.remove(asBuffer(key));
          else void db.put(asBuffer(key), asBuffer(value));
        }
      });
      await committed;
      // Not reached if the commit failed: `flushed` never settles for a failed commit. `db.flushed`
      // (the last commit so far is on disk) is a safe stand-in should a promise come without one.
      await (committed.flushed ?? db.flushed);
    },
    close() {
      return db.close();
    },
  };
}

/**
 * lmdb-js ranges: `start` is where the walk begins, so in reverse it is the upper bound; `end` is
 * exclusive unless `inclusiveEnd`. [start, end) reversed is therefore start=end (skipped, since
 * exclusive) down to end=start (included).
 */
function rangeOptions(range: KvRange): RangeOptions {
  // Absent bounds stay absent: lmdb-js tests `"start" in options`, not the value.
  const options: RangeOptions = {};
  const lower = range.start && asBuffer(range.start);
  const upper = range.end && asBuffer(range.end);
  if (!range.reverse) {
    if (lower !== undefined) options.start = lower;
    if (upper !== undefined) options.end = upper;
    return options;
  }
  options.reverse = true;
  // Without `inclusiveEnd` a reverse walk with no lower bound stops before the key 0x00 (lmdb-js's
  // default lower bound for binary keys is 0x00, taken as exclusive).
  options.inclusiveEnd = true;
  if (upper !== undefined) {
    options.start = upper;
    options.exclusiveStart = true;
  }
  if (lower !== undefined) options.end = lower;
  return options;
}

/**
 * lmdb-js hands out fresh Buffers (copies, not the volatile memory getBinaryFast gives). Both engines
 * return plain Uint8Arrays instead: Buffer's `slice` shares memory where Uint8Array's copies, and
 * assert.deepStrictEqual tells the two apart. A view, not a copy.
 */
function plain(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
