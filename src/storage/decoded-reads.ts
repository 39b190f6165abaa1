/**
 * JSON records read from the KV store on a hot path (every invoke, every API request), kept decoded
 * while their stored bytes stay the same. The store is read every time, so a change is seen at once;
 * only the JSON decoding (and, by name, the key's encoding) is skipped. Comparing bytes costs far less
 * than JSON.parse of a large record (an API's deployment, a function's configuration).
 *
 * The decoded value is shared between callers: they must only read it. Control planes, which modify
 * what they read, must decode their own copies.
 */
import type { KvReader } from "./kv.ts";

interface Entry {
  key: Uint8Array;
  bytes: Uint8Array;
  value: unknown;
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
    const keyBytes = entry?.key ?? key();
    const bytes = await reader.get(keyBytes);
    if (bytes === undefined) {
      this.#entries.delete(name);
      return undefined;
    }
    if (entry !== undefined && Buffer.compare(entry.bytes, bytes) === 0) return entry.value as T;
    const value = JSON.parse(decoder.decode(bytes)) as T;
    if (this.#freeze) Object.freeze(value);
    if (this.#entries.size >= this.#entriesMax) this.#entries.clear();
    this.#entries.set(name, { key: keyBytes, bytes, value });
    return value;
  }
}
