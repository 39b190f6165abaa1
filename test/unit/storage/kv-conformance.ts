/**
 * The KvStore contract (src/storage/kv.ts), as one suite every engine runs: memory-engine.test.ts and
 * lmdb-engine.test.ts call `registerKvConformance` with a factory for fresh, empty stores.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { compareBytes } from "../../../src/storage/bytes.ts";
import type { KvRange, KvStore } from "../../../src/storage/kv.ts";
import { MAX_KEY_BYTES } from "../../../src/storage/limits.ts";
import { prefixRange, tuple, tupleRange } from "../../../src/storage/tuple.ts";
import { concurrencyKvTests } from "./kv-concurrency.ts";
import { b, collect, keysOf, putAll, text } from "./kv-helpers.ts";
import { randomKvTests } from "./kv-random.ts";

export interface EngineUnderTest {
  /** A fresh, empty store. */
  open(): Promise<KvStore>;
  /** Runs once after the suite (remove temp dirs). */
  cleanup?(): Promise<void>;
}

// Keys chosen for byte-order edge cases: 0x00 and 0xFF bytes, prefixes of each other, high bit set.
const EDGE_KEYS = [
  [0x00],
  [0x00, 0x00],
  [0x00, 0xff],
  [0x01],
  [0x01, 0x00],
  [0x01, 0x00, 0x00],
  [0x01, 0xff],
  [0x7f],
  [0x7f, 0xff, 0xff],
  [0x80],
  [0xfe, 0xff],
  [0xff],
  [0xff, 0x00],
  [0xff, 0xff],
  [0xff, 0xff, 0xff],
]; // already in unsigned byte order

export function registerKvConformance(name: string, engine: EngineUnderTest): void {
  describe(`KvStore conformance: ${name}`, () => {
    const open: KvStore[] = [];
    const fresh = async (): Promise<KvStore> => {
      const store = await engine.open();
      open.push(store);
      return store;
    };
    after(async () => {
      await Promise.allSettled(open.map((s) => s.close()));
      await engine.cleanup?.();
    });

    it("gets, puts, overwrites and deletes", async () => {
      const store = await fresh();
      assert.equal(await store.get(b(1)), undefined);
      await putAll(store, [[b(1), text("one")]]);
      assert.deepEqual(await store.get(b(1)), text("one"));
      await putAll(store, [[b(1), text("uno")]]);
      assert.deepEqual(await store.get(b(1)), text("uno"));
      await store.transaction((tx) => {
        tx.delete(b(1));
        tx.delete(b(2)); // deleting a missing key is fine
      });
      assert.equal(await store.get(b(1)), undefined);
      await putAll(store, [[b(3), new Uint8Array(0)]]);
      assert.deepEqual(await store.get(b(3)), new Uint8Array(0), "an empty value is a value");
    });

    it("walks ranges in unsigned byte order, with bounds, reverse and limit", async () => {
      const store = await fresh();
      const shuffled = [...EDGE_KEYS].sort((x, y) => (x.join() < y.join() ? 1 : -1));
      await putAll(
        store,
        shuffled.map((k) => [b(...k), b(k.length)]),
      );
      const all = async (range: KvRange) => keysOf(await collect(store.range(range)));
      assert.deepEqual(await all({}), EDGE_KEYS);
      assert.deepEqual(await all({ reverse: true }), [...EDGE_KEYS].reverse());
      assert.deepEqual(await all({ start: b(0x01), end: b(0x7f) }), [[1], [1, 0], [1, 0, 0], [1, 0xff]]);
      assert.deepEqual(await all({ start: b(0x01), end: b(0x7f), reverse: true }), [
        [1, 0xff],
        [1, 0, 0],
        [1, 0],
        [1],
      ]);
      assert.deepEqual(
        await all({ start: b(0x00, 0x01) }),
        EDGE_KEYS.slice(2),
        "start is inclusive, absent or not",
      );
      assert.deepEqual(await all({ end: b(0x00, 0xff) }), [[0], [0, 0]], "end is exclusive");
      assert.deepEqual(await all({ end: b(0x00, 0xff), reverse: true }), [[0, 0], [0]]);
      assert.deepEqual(await all({ start: b(0xff, 0x00), reverse: true }), [
        [0xff, 0xff, 0xff],
        [0xff, 0xff],
        [0xff, 0x00],
      ]);
      assert.deepEqual(await all({ limit: 3 }), EDGE_KEYS.slice(0, 3));
      assert.deepEqual(await all({ limit: 2, reverse: true }), [
        [0xff, 0xff, 0xff],
        [0xff, 0xff],
      ]);
      assert.deepEqual(await all({ start: b(0x01), limit: 2, reverse: true }), [
        [0xff, 0xff, 0xff],
        [0xff, 0xff],
      ]);
      assert.deepEqual(await all({ limit: 0 }), []);
      assert.deepEqual(await all({ start: b(0x7f), end: b(0x7f) }), [], "empty when start == end");
      assert.deepEqual(await all({ start: b(0x80), end: b(0x01) }), [], "empty when start > end");
      assert.deepEqual(await all(prefixRange(b(0x01))), [[1], [1, 0], [1, 0, 0], [1, 0xff]]);
      assert.deepEqual(await all(prefixRange(b(0xff))), [
        [0xff],
        [0xff, 0],
        [0xff, 0xff],
        [0xff, 0xff, 0xff],
      ]);
      assert.deepEqual(await all({ ...prefixRange(b(0x00)), reverse: true }), [[0, 0xff], [0, 0], [0]]);
      const values = await collect(store.range({ start: b(0x7f), limit: 2 }));
      assert.deepEqual(
        values.map((e) => [...e.value]),
        [[1], [3]],
      );
    });

    it("scans a tuple prefix (service, account, region, table) without touching neighbours", async () => {
      const store = await fresh();
      const key = (table: string, id: number) => tuple("dynamodb", "000000000000", "us-east-1", table, id);
      await putAll(store, [
        [key("a", 2), text("a2")],
        [key("a", 1), text("a1")],
        [key("ab", 0), text("ab0")],
        [key("a\0", 0), text("a-nul")], // its bytes continue those of table "a"
        [key("", 0), text("0")],
        [key("a", 300), text("a300")],
      ]);
      const found = await collect(store.range(tupleRange("dynamodb", "000000000000", "us-east-1", "a")));
      assert.deepEqual(
        found.map((e) => new TextDecoder().decode(e.value)),
        ["a1", "a2", "a300"],
      );
    });

    it("reads its own writes inside a transaction, in get and range", async () => {
      const store = await fresh();
      await putAll(store, [
        [b(1), text("1")],
        [b(2), text("2")],
        [b(3), text("3")],
      ]);
      await store.transaction(async (tx) => {
        tx.put(b(2), text("two"));
        tx.put(b(4), text("4"));
        tx.delete(b(3));
        assert.deepEqual(await tx.get(b(2)), text("two"));
        assert.deepEqual(await tx.get(b(4)), text("4"));
        assert.equal(await tx.get(b(3)), undefined, "own delete hides the committed value");
        const seen = await collect(tx.range({}));
        assert.deepEqual(keysOf(seen), [[1], [2], [4]]);
        assert.deepEqual(seen[1]?.value, text("two"));
        assert.deepEqual(keysOf(await collect(tx.range({ reverse: true, limit: 2 }))), [[4], [2]]);
        // Nothing is visible outside until the transaction commits.
        assert.deepEqual(await store.get(b(2)), text("2"));
        assert.equal(await store.get(b(4)), undefined);
        tx.put(b(3), text("back"));
        assert.deepEqual(await tx.get(b(3)), text("back"), "put after delete");
      });
      assert.deepEqual(keysOf(await collect(store.range({}))), [[1], [2], [3], [4]]);
      assert.deepEqual(await store.get(b(3)), text("back"));
    });

    it("hides deleted keys from ranges, inside the transaction and after it", async () => {
      const store = await fresh();
      await putAll(store, [
        [b(1), text("a")],
        [b(2), text("b")],
        [b(3), text("c")],
      ]);
      await store.transaction(async (tx) => {
        tx.delete(b(2));
        tx.delete(b(3));
        tx.put(b(3), text("c2"));
        tx.delete(b(3));
        assert.deepEqual(keysOf(await collect(tx.range({}))), [[1]]);
        assert.deepEqual(keysOf(await collect(tx.range({ limit: 1, start: b(2) }))), []);
      });
      assert.deepEqual(keysOf(await collect(store.range({}))), [[1]]);
      assert.deepEqual(keysOf(await collect(store.range({ reverse: true }))), [[1]]);
    });

    it("rolls back everything when the callback throws, sync or after awaiting", async () => {
      const store = await fresh();
      await putAll(store, [[b(1), text("kept")]]);
      const boom = new Error("boom");
      await assert.rejects(
        store.transaction((tx) => {
          tx.put(b(1), text("lost"));
          tx.put(b(2), text("lost"));
          throw boom;
        }),
        (error) => error === boom,
      );
      await assert.rejects(
        store.transaction(async (tx) => {
          tx.delete(b(1));
          await tick();
          tx.put(b(3), text("lost"));
          throw boom;
        }),
        (error) => error === boom,
      );
      assert.deepEqual(await store.get(b(1)), text("kept"));
      assert.equal(await store.get(b(2)), undefined);
      assert.deepEqual(keysOf(await collect(store.range({}))), [[1]]);
      assert.equal(await store.transaction(() => "still works"), "still works");
    });

    it("refuses bad keys inside the transaction, so it rolls back", async () => {
      const store = await fresh();
      await assert.rejects(
        store.transaction((tx) => {
          tx.put(b(1), text("x"));
          tx.put(new Uint8Array(0), text("x"));
        }),
        RangeError,
      );
      await assert.rejects(
        store.transaction((tx) => tx.put(new Uint8Array(MAX_KEY_BYTES + 1).fill(1), text("x"))),
        RangeError,
      );
      assert.equal(await store.get(b(1)), undefined);
      const longest = new Uint8Array(MAX_KEY_BYTES).fill(0xff);
      await putAll(store, [[longest, text("long")]]);
      assert.deepEqual(await store.get(longest), text("long"));
      assert.deepEqual(keysOf(await collect(store.range({ start: b(0xfe) }))), [[...longest]]);
      await assert.rejects(store.get(new Uint8Array(0)), RangeError);
      await assert.rejects(collect(store.range({ limit: -1 })), RangeError);
    });

    it("copies: changing arrays after put or after get does not change the store", async () => {
      const store = await fresh();
      const key = b(1, 2);
      const value = text("abc");
      await store.transaction(async (tx) => {
        tx.put(key, value);
        value[0] = 0x7a;
        key[1] = 9;
        const mine = await tx.get(b(1, 2));
        mine![1] = 0x7a;
      });
      assert.deepEqual(await store.get(b(1, 2)), text("abc"));
      const got = await store.get(b(1, 2));
      got![0] = 0;
      const [entry] = await collect(store.range({}));
      entry!.value[0] = 0;
      entry!.key[0] = 0;
      assert.deepEqual(await store.get(b(1, 2)), text("abc"));
    });

    it("refuses a transaction object used after its callback returned", async () => {
      const store = await fresh();
      let leaked: Parameters<Parameters<KvStore["transaction"]>[0]>[0] | undefined;
      await store.transaction((tx) => {
        leaked = tx;
      });
      assert.throws(() => leaked!.put(b(1), b(1)), /already finished/);
      await assert.rejects(leaked!.get(b(1)), /already finished/);
      assert.equal(await store.get(b(1)), undefined);
    });

    it("commits a large transaction atomically", async () => {
      const store = await fresh();
      const n = 5000;
      await store.transaction((tx) => {
        for (let i = 0; i < n; i++) tx.put(tuple("big", i), new Uint8Array(64).fill(i & 0xff));
      });
      const entries = await collect(store.range(tupleRange("big")));
      assert.equal(entries.length, n);
      for (let i = 1; i < entries.length; i++)
        assert.ok(compareBytes(entries[i - 1]!.key, entries[i]!.key) < 0);
    });

    concurrencyKvTests(fresh);
    randomKvTests(fresh);
  });
}
