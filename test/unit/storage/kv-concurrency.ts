/**
 * The concurrency half of the KvStore conformance suite (registered by kv-conformance.ts):
 * serialisability, visibility of commits that are not yet durable, range snapshots, close().
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import type { KvStore } from "../../../src/storage/kv.ts";
import { b, collect, keysOf, putAll, text } from "./kv-helpers.ts";

export function concurrencyKvTests(fresh: () => Promise<KvStore>): void {
  it("is serialisable: 100 concurrent read-increment-write transactions that await end at 100", async () => {
    const store = await fresh();
    const counter = b(0xc0);
    await putAll(store, [[counter, b(0, 0)]]);
    const increments = Array.from({ length: 100 }, (_, i) =>
      store.transaction(async (tx) => {
        const current = await tx.get(counter);
        await tick(); // let the others try to interleave
        if (i % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        const n = new DataView(current!.buffer, current!.byteOffset).getUint16(0) + 1;
        const next = new Uint8Array(2);
        new DataView(next.buffer).setUint16(0, n);
        tx.put(counter, next);
        return n;
      }),
    );
    const results = await Promise.all(increments);
    assert.deepEqual(
      [...results].sort((x, y) => x - y),
      Array.from({ length: 100 }, (_, i) => i + 1),
      "each transaction saw all earlier ones",
    );
    assert.deepEqual(await store.get(counter), b(0, 100));
  });

  it("shows writes whose commit is pending to later transactions and reads", async () => {
    const store = await fresh();
    const k = b(0x42);
    // None of these is awaited before the next starts: each runs while earlier commits are pending.
    const first = store.transaction((tx) => tx.put(k, text("1")));
    const second = store.transaction(async (tx) => {
      const seen = await tx.get(k);
      tx.put(k, text("2"));
      tx.put(b(0x43), text("x"));
      return seen;
    });
    const third = store.transaction(async (tx) => {
      const seen = await tx.get(k);
      const outside = await store.get(k); // a plain read waits for the pending commit, then sees it
      const listed = keysOf(await collect(tx.range({})));
      tx.delete(k);
      return { seen, outside, listed };
    });
    const fourth = store.transaction(async (tx) => ({
      seen: await tx.get(k),
      listed: keysOf(await collect(tx.range({}))),
    }));
    await first;
    assert.deepEqual(await second, text("1"));
    const t3 = await third;
    assert.deepEqual(t3.seen, text("2"));
    assert.deepEqual(t3.outside, text("2"));
    assert.deepEqual(t3.listed, [[0x42], [0x43]]);
    const t4 = await fourth;
    assert.equal(t4.seen, undefined, "a pending delete hides the key");
    assert.deepEqual(t4.listed, [[0x43]]);
    assert.equal(await store.get(k), undefined);
    assert.deepEqual(await store.get(b(0x43)), text("x"));
  });

  it("keeps the newest write of a key that several pending commits rewrite", async () => {
    const store = await fresh();
    const k = b(7);
    const done: Promise<unknown>[] = [];
    const reads: Promise<[number, Uint8Array | undefined]>[] = [];
    for (let i = 0; i < 60; i++) {
      // Commits land while later ones that rewrite the same key are still pending: landing must
      // not drop the later write from view.
      done.push(store.transaction((tx) => (i % 7 === 6 ? tx.delete(k) : tx.put(k, b(i)))));
      reads.push(store.transaction(async (tx) => [i, await tx.get(k)]));
      if (i % 3 === 0) await tick();
    }
    for (const [i, seen] of await Promise.all(reads)) assert.deepEqual(seen, i % 7 === 6 ? undefined : b(i));
    await Promise.all(done);
    assert.deepEqual(await store.get(k), b(59));
    assert.deepEqual(keysOf(await collect(store.range({}))), [[7]]);
  });

  it("gives a range one consistent view while others commit during the walk", async () => {
    const store = await fresh();
    await putAll(
      store,
      Array.from({ length: 10 }, (_, i) => [b(i), b(i)] as [Uint8Array, Uint8Array]),
    );
    const seen: number[][] = [];
    let changed = false;
    for await (const entry of store.range({})) {
      seen.push([...entry.key, ...entry.value]);
      if (!changed) {
        changed = true;
        await store.transaction((tx) => {
          tx.delete(b(5));
          tx.put(b(2), b(99));
          tx.put(b(8, 1), b(1));
        });
      }
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 10 }, (_, i) => [i, i]),
    );
    assert.deepEqual(await store.get(b(2)), b(99), "the change did land");
  });

  it("close() waits for in-flight commits, then refuses further calls", async () => {
    const store = await fresh();
    const done: boolean[] = [];
    const running = Array.from({ length: 50 }, (_, i) =>
      store
        .transaction(async (tx) => {
          await tick();
          tx.put(b(1, i), b(i));
        })
        .then(() => {
          done[i] = true;
        }),
    );
    await store.close();
    assert.equal(done.filter(Boolean).length, 50, "every transaction called before close() finished first");
    await Promise.all(running);
    await assert.rejects(
      store.transaction(() => 1),
      /closed/,
    );
    await assert.rejects(store.get(b(1)), /closed/);
    await assert.rejects(collect(store.range({})), /closed/);
    await store.close(); // a second close is harmless
  });
}
