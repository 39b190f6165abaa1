/**
 * Bucket records and bucket settings (versioning, lifecycle, CORS, policy...) kept in memory between
 * the writes that change them. Every object request reads its bucket and some of its settings, and
 * they change a few times in a bucket's life: three of the five storage reads of a 1 KB GET were these.
 *
 * Correctness rests on a generation number, not on timing. A value read from storage is kept only if no
 * bucket-level write began while it was being read, and it is served only while no write has begun
 * since. A write bumps the generation twice: when it is made inside its transaction (S3Store calls
 * `written`), and once its transaction has settled (`track` wraps the store), so that a value read
 * between the two (the old one, before the commit made the new one visible) is never served. A
 * transaction that fails only costs a reread. Only reads outside transactions use the cache: a
 * transaction reads its own writes through storage.
 *
 * Sound because one process owns the data directory (storage/dir-lock.ts) and every S3 write of these
 * keys goes through S3Store. Values are shared and frozen: callers copy before they change anything.
 */
import type { KvStore, KvTransaction } from "../../storage/kv.ts";

/** Past this many values the cache starts over (a bound; hot buckets come back at once). */
const ENTRIES_MAX = 4096;

export class BucketSettingsCache {
  #generation = 0;
  readonly #entries = new Map<string, { generation: number; value: unknown }>();
  readonly #writers = new WeakSet<KvTransaction>();

  /** What `read` gives for `name`, from memory when no bucket-level write has begun since it was read. */
  async get<T>(name: string, read: () => Promise<T>): Promise<T> {
    const hit = this.#entries.get(name);
    if (hit !== undefined && hit.generation === this.#generation) return hit.value as T;
    const generation = this.#generation;
    const value = await read();
    if (generation === this.#generation) {
      if (this.#entries.size >= ENTRIES_MAX) this.#entries.clear();
      if (typeof value === "object" && value !== null) Object.freeze(value);
      this.#entries.set(name, { generation, value });
    }
    return value;
  }

  /** A bucket-level key is being written in `tx`. */
  written(tx: KvTransaction): void {
    this.#generation++;
    this.#writers.add(tx);
  }

  /** `storage` whose transactions, once settled, end what they wrote (see above). */
  track(storage: KvStore): KvStore {
    const writers = this.#writers;
    const bump = () => {
      this.#generation++;
    };
    return {
      get: (key) => storage.get(key),
      range: (range) => storage.range(range),
      generation: (namespace) => storage.generation(namespace),
      close: () => storage.close(),
      async transaction(work) {
        let used: KvTransaction | undefined;
        try {
          return await storage.transaction((tx) => {
            used = tx;
            return work(tx);
          });
        } finally {
          if (used !== undefined && writers.has(used)) bump();
        }
      },
    };
  }
}
