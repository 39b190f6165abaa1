/** Small helpers shared by the storage tests. */
import type { KvEntry, KvStore } from "../../../src/storage/kv.ts";

export const b = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export async function collect(iterable: AsyncIterable<KvEntry>): Promise<KvEntry[]> {
  const out: KvEntry[] = [];
  for await (const entry of iterable) out.push(entry);
  return out;
}

export const keysOf = (entries: KvEntry[]): number[][] => entries.map((e) => [...e.key]);

export async function putAll(store: KvStore, entries: [Uint8Array, Uint8Array][]): Promise<void> {
  await store.transaction((tx) => {
    for (const [key, value] of entries) tx.put(key, value);
  });
}
