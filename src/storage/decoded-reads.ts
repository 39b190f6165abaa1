/**
 * JSON records read from the KV store on a hot path (every invoke, every API request), kept decoded
 * while they stay the same. Decoding (and, by name, the key's encoding) is always skipped for an
 * unchanged record; the read itself is skipped too when the reader is the store (not a transaction)
 * and no write to the key's namespace has become visible since the record was read: the store's
 * `generation` (kv.ts) says so exactly, whatever service wrote. Otherwise the record is read and its
 * bytes compared with the kept ones, which costs far less than JSON.parse of a large record (an API's
 * deployment, a function's configuration).
 *
 * The decoded value is shared between callers: they must only read it. Control planes, which modify
 * what they read, must decode their own copies.
 */
import type { KvReader, KvStore } from "./kv.ts";
import { namespaceOf } from "./transactions.ts";

interface Entry {
  key: Uint8Array;
  namespace: string;
  /** Undefined: nothing was stored under the key. */
  bytes: Uint8Array | undefined;
  value: unknown;
  /** The store the entry was read from directly, and its namespace's generation then; -1 otherwise. */
  store: KvStore | undefined;
  generation: number;
}

const decoder = new TextDecoder();

export class DecodedReads {
  readonly #entries = new Map<string, Entry>();
  readonly #entriesMax: number;
  readonly #freeze: boolean;

  /**
   * Past `entriesMax` records the cache starts over (a simple bound; hot records come back at once).
   * With `freeze`, decoded values are frozen (shallowly), so that a caller that modifies one fails
   * loudly instead of changing what the next caller reads.
   */
  constructor(entriesMax = 1000, options: { freeze?: boolean } = {}) {
    this.#entriesMax = entriesMax;
    this.#freeze = options.freeze === true;
  }

  /**
   * The record stored under `key()`, decoded; `name` identifies the record in this cache (so the key
   * is encoded once). Undefined when nothing is stored.
   */
  async get<T>(reader: KvReader, name: string, key: () => Uint8Array): Promise<T | undefined> {
    const entry = this.#entries.get(name);
    const store = isStore(reader) ? reader : undefined;
    // The store is part of the check: a cache may be shared by several stores (servers in one process).
    if (
      entry !== undefined &&
      store !== undefined &&
      entry.store === store &&
      entry.generation === store.generation(entry.namespace)
    ) {
      return entry.value as T | undefined;
    }
    const keyBytes = entry?.key ?? key();
    const namespace = entry?.namespace ?? namespaceOf(keyBytes);
    // Taken before the read: a write that becomes visible during it moves the generation on.
    const generation = store === undefined ? -1 : store.generation(namespace);
    const bytes = await reader.get(keyBytes);
    let value: unknown;
    if (bytes === undefined) value = undefined;
    else if (entry?.bytes !== undefined && Buffer.compare(entry.bytes, bytes) === 0) value = entry.value;
    else {
      value = JSON.parse(decoder.decode(bytes));
      if (this.#freeze) Object.freeze(value);
    }
    if (entry === undefined && this.#entries.size >= this.#entriesMax) this.#entries.clear();
    // Kept for a missing record too: its key stays encoded, and the store's generation says when it appears.
    this.#entries.set(name, { key: keyBytes, namespace, bytes, value, store, generation });
    return value as T | undefined;
  }
}

function isStore(reader: KvReader): reader is KvStore {
  return typeof (reader as Partial<KvStore>).generation === "function";
}
