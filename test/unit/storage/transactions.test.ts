/**
 * The shared transaction layer against an engine whose commits become durable only when the test says
 * so, which makes the pending-commit window (the overlay) deterministic instead of a race with fsync.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import type { KvEntry, KvRange } from "../../../src/storage/kv.ts";
import { mapRange, newByteMap } from "../../../src/storage/ordered-map.ts";
import { createKvStore, type Engine, type Write } from "../../../src/storage/transactions.ts";
import { b, collect, keysOf } from "./kv-helpers.ts";

/** Commits wait in `queue` until `land()` (or `fail()`) settles the oldest, as an fsync would. */
function controlledEngine() {
  const table = newByteMap<Uint8Array>();
  const queue: { writes: readonly Write[]; resolve: () => void; reject: (e: Error) => void }[] = [];
  const engine: Engine = {
    get: (key) => table.get(key),
    scan: (range: KvRange): Iterator<KvEntry> =>
      [...mapRange(table.clone(), range)].map(([key, value]) => ({ key, value }))[Symbol.iterator](),
    write: (writes) => new Promise<void>((resolve, reject) => queue.push({ writes, resolve, reject })),
    close: async () => {},
  };
  return {
    engine,
    pending: () => queue.length,
    /** Makes the oldest queued commit visible in the engine and durable. */
    async land() {
      const next = queue.shift();
      assert.ok(next, "a commit is queued");
      for (const { key, value } of next.writes) {
        if (value === null) table.delete(key);
        else table.set(key, value);
      }
      next.resolve();
      await tick();
    },
    async fail() {
      queue.shift()?.reject(new Error("disk on fire"));
      await tick();
    },
  };
}

/** Whether the promise has settled by now (after letting microtasks and one macrotask run). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await tick();
  return done;
}

describe("transactions over a slow engine", () => {
  it("resolves a transaction only when its commit is durable, and lets the next ones run meanwhile", async () => {
    const control = controlledEngine();
    const store = createKvStore(control.engine);
    const first = store.transaction((tx) => tx.put(b(1), b(1)));
    const second = store.transaction(async (tx) => {
      tx.put(b(1), b(2));
      return tx.get(b(1));
    });
    await tick();
    assert.equal(control.pending(), 2, "both commits were handed over without waiting for the first");
    assert.equal(await settled(first), false);
    await control.land();
    assert.equal(await settled(first), true);
    assert.equal(await settled(second), false);
    await control.land();
    assert.deepEqual(await second, b(2));
  });

  it("keeps a later pending rewrite visible when an earlier commit of the same key lands", async () => {
    const control = controlledEngine();
    const store = createKvStore(control.engine);
    const writes = [
      store.transaction((tx) => tx.put(b(1), b(1))),
      store.transaction((tx) => tx.put(b(1), b(2))),
    ];
    await tick();
    await control.land(); // the engine now holds b(1) = 1; the rewrite to 2 is still pending
    const get = store.transaction((tx) => tx.get(b(1)));
    const range = store.transaction(async (tx) => (await collect(tx.range({}))).map((e) => [...e.value]));
    const plain = store.get(b(1));
    await tick();
    await control.land();
    assert.deepEqual(await get, b(2));
    assert.deepEqual(await range, [[2]]);
    assert.deepEqual(await plain, b(2));
    await Promise.all(writes);
  });

  it("shows pending values, pending deletes included, to transactions and plain reads", async () => {
    const control = controlledEngine();
    const store = createKvStore(control.engine);
    void store.transaction((tx) => {
      tx.put(b(1), b(1));
      tx.put(b(2), b(2));
    });
    await tick();
    await control.land();
    void store.transaction((tx) => {
      tx.put(b(1), b(10));
      tx.delete(b(2));
      tx.put(b(3), b(3));
    });
    await tick();
    const inTx = store.transaction(async (tx) => ({
      one: await tx.get(b(1)),
      two: await tx.get(b(2)),
      keys: keysOf(await collect(tx.range({}))),
    }));
    assert.equal(await settled(inTx), false, "a read-only transaction that read pending data waits for it");
    const plain = store.get(b(1));
    const listing = collect(store.range({}));
    assert.equal(await settled(plain), false, "a plain read of a pending value waits for durability");
    assert.equal(await settled(listing), false);
    await control.land();
    assert.deepEqual(await plain, b(10));
    assert.deepEqual(keysOf(await listing), [[1], [3]]);
    assert.deepEqual(await inTx, { one: b(10), two: undefined, keys: [[1], [3]] });
  });

  it("answers a read-only transaction at once when it read nothing pending", async () => {
    const control = controlledEngine();
    const store = createKvStore(control.engine);
    void store.transaction((tx) => tx.put(b(9), b(9)));
    await tick();
    const read = store.transaction(async (tx) => ({
      one: await tx.get(b(1)),
      keys: keysOf(await collect(tx.range({ end: b(5) }))),
    }));
    assert.equal(await settled(read), true);
    assert.deepEqual(await read, { one: undefined, keys: [] });
    await control.land();
  });

  it("stops taking transactions after a commit fails, failing those that may have read it", async () => {
    const control = controlledEngine();
    const store = createKvStore(control.engine);
    const doomed = store.transaction((tx) => tx.put(b(1), b(1)));
    const reader = store.transaction(async (tx) => {
      const seen = await tx.get(b(1));
      tx.put(b(2), seen!);
    });
    await tick();
    await control.fail();
    await assert.rejects(doomed, /commit failed: disk on fire/);
    await control.land(); // the engine may still commit the later batch; it cannot be vouched for
    await assert.rejects(reader, /commit failed: disk on fire/);
    await assert.rejects(
      store.transaction(() => 1),
      /Storage stopped after a commit failed/,
    );
    await store.close();
  });

  it("close() waits until every handed-over commit is durable", async () => {
    const control = controlledEngine();
    const store = createKvStore(control.engine);
    const write = store.transaction((tx) => tx.put(b(1), b(1)));
    await tick();
    const closing = store.close();
    assert.equal(await settled(closing), false);
    await control.land();
    await closing;
    await write;
  });
});
