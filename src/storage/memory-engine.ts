/**
 * The in-memory engine (`--in-memory`, tests): a byte-ordered B+ tree. Nothing survives the process, so
 * a commit is "durable" as soon as it is applied; transactions, the overlay and range merging are the
 * shared ones in transactions.ts, so this engine behaves like the LMDB one apart from persistence.
 */
import { copyBytes } from "./bytes.ts";
import type { KvEntry, KvRange, KvStore } from "./kv.ts";
import { type ByteMap, mapRange, newByteMap } from "./ordered-map.ts";
import { createKvStore, type Engine, type Write } from "./transactions.ts";

export function openMemoryStore(): KvStore {
  return createKvStore(memoryEngine());
}

function memoryEngine(): Engine {
  const table = newByteMap<Uint8Array>();
  return {
    get(key) {
      const value = table.get(key);
      // Copies out as well as in (the shared layer copies in): callers must not reach stored arrays.
      return value === undefined ? undefined : copyBytes(value);
    },
    scan(range: KvRange): Iterator<KvEntry> {
      // The clone is O(1) (copy-on-write), and fixes the snapshot now, as the Engine contract asks.
      return entries(table.clone(), range);
    },
    write(writes: readonly Write[]) {
      // Applied synchronously: atomic because nothing else runs in between.
      for (const { key, value } of writes) {
        if (value === null) table.delete(key);
        else table.set(key, value);
      }
      return Promise.resolve();
    },
    close() {
      table.clear();
      return Promise.resolve();
    },
  };
}

function* entries(snapshot: ByteMap<Uint8Array>, range: KvRange): Generator<KvEntry> {
  for (const [key, value] of mapRange(snapshot, range))
    yield { key: copyBytes(key), value: copyBytes(value) };
}
