/**
 * Limits both engines enforce alike, checked when a key or range is handed to the store so that a bad
 * key fails inside the caller's transaction (rolling it back) rather than in the middle of a commit.
 */
import type { KvRange } from "./kv.ts";

/**
 * The longest key either engine accepts: LMDB's limit with the 8 KiB pages the LMDB engine creates its
 * databases with (4 KiB pages would allow only 1978). LMDB refuses empty keys, so both engines do.
 */
export const MAX_KEY_BYTES = 4026;

export function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array)) throw new TypeError("Storage key must be a Uint8Array");
  if (key.length === 0 || key.length > MAX_KEY_BYTES) {
    throw new RangeError(`Storage key must be 1 to ${MAX_KEY_BYTES} bytes long, got ${key.length}`);
  }
}

export function checkRange(range: KvRange): void {
  for (const bound of [range.start, range.end]) {
    if (bound !== undefined && !(bound instanceof Uint8Array)) {
      throw new TypeError("Storage range bounds must be Uint8Arrays");
    }
  }
  const { limit } = range;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`Storage range limit must be a non-negative integer, got ${limit}`);
  }
}
