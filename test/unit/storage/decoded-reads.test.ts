import assert from "node:assert/strict";
import { test } from "node:test";
import { DecodedReads } from "../../../src/storage/decoded-reads.ts";
import type { KvStore } from "../../../src/storage/kv.ts";
import { openMemoryStore } from "../../../src/storage/memory-engine.ts";
import { tuple } from "../../../src/storage/tuple.ts";

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** The store, counting the reads that reach it. */
function counting(store: KvStore): KvStore & { reads: number } {
  const counted = {
    reads: 0,
    get(key: Uint8Array) {
      counted.reads++;
      return store.get(key);
    },
    range: (range: Parameters<KvStore["range"]>[0]) => store.range(range),
    generation: (namespace: string) => store.generation(namespace),
    transaction: <T>(work: Parameters<KvStore["transaction"]>[0]) => store.transaction(work) as Promise<T>,
    close: () => store.close(),
  };
  return counted;
}

const KEY = tuple("svc", "record");

test("a record is read again only after a write to its namespace", async () => {
  const store = counting(openMemoryStore());
  const reads = new DecodedReads();
  await store.transaction((tx) => tx.put(KEY, json({ n: 1 })));
  assert.deepEqual(await reads.get(store, "r", () => KEY), { n: 1 });
  assert.deepEqual(await reads.get(store, "r", () => KEY), { n: 1 });
  assert.equal(store.reads, 1);

  await store.transaction((tx) => tx.put(tuple("other", "x"), json(0)));
  assert.deepEqual(await reads.get(store, "r", () => KEY), { n: 1 });
  assert.equal(store.reads, 1, "a write to another namespace changes nothing here");

  await store.transaction((tx) => tx.put(KEY, json({ n: 2 })));
  assert.deepEqual(await reads.get(store, "r", () => KEY), { n: 2 });
  await store.transaction((tx) => tx.delete(KEY));
  assert.equal(await reads.get(store, "r", () => KEY), undefined);
  await store.transaction((tx) => tx.put(KEY, json({ n: 3 })));
  assert.deepEqual(await reads.get(store, "r", () => KEY), { n: 3 });
});

test("a read inside a transaction sees the transaction's own writes", async () => {
  const store = openMemoryStore();
  const reads = new DecodedReads();
  await store.transaction((tx) => tx.put(KEY, json("old")));
  assert.equal(await reads.get(store, "r", () => KEY), "old");
  await store.transaction(async (tx) => {
    tx.put(KEY, json("new"));
    assert.equal(await reads.get(tx, "r", () => KEY), "new");
  });
  assert.equal(await reads.get(store, "r", () => KEY), "new");
});

test("a value read while a write becomes visible is not served after it", async () => {
  const store = openMemoryStore();
  const reads = new DecodedReads();
  await store.transaction((tx) => tx.put(KEY, json("old")));
  let during: Promise<unknown> | undefined;
  const writing = store.transaction(async (tx) => {
    tx.put(KEY, json("new"));
    during = reads.get(store, "r", () => KEY);
    await during;
  });
  await writing;
  assert.equal(await during, "old");
  assert.equal(await reads.get(store, "r", () => KEY), "new");
});

test("one cache shared by two stores never answers one store from the other", async () => {
  const first = openMemoryStore();
  const second = openMemoryStore();
  const reads = new DecodedReads();
  await first.transaction((tx) => tx.put(KEY, json("first")));
  await second.transaction((tx) => tx.put(KEY, json("second")));
  assert.equal(await reads.get(first, "r", () => KEY), "first");
  assert.equal(await reads.get(second, "r", () => KEY), "second");
  assert.equal(await reads.get(first, "r", () => KEY), "first");
});
