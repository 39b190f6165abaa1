/**
 * Model-based check for the conformance suite: random transactions (puts, deletes, reads, ranges,
 * rollbacks), several in flight at once so reads go through the pending-commit overlay, compared with
 * a plain Map. Seeded, so a failure names the seed that reproduces it (STRATUS_TEST_SEED=...).
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { compareBytes, toHex } from "../../../src/storage/bytes.ts";
import type { KvEntry, KvRange, KvReader, KvStore } from "../../../src/storage/kv.ts";

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Model = Map<string, { key: Uint8Array; value: Uint8Array }>;

function expected(model: Model, range: KvRange): number[][] {
  let entries = [...model.values()].sort((x, y) => compareBytes(x.key, y.key));
  entries = entries.filter(
    (e) =>
      (range.start === undefined || compareBytes(e.key, range.start) >= 0) &&
      (range.end === undefined || compareBytes(e.key, range.end) < 0),
  );
  if (range.reverse) entries.reverse();
  if (range.limit !== undefined) entries = entries.slice(0, range.limit);
  return entries.map((e) => [...e.key, -1, ...e.value]);
}

async function actual(reader: KvReader, range: KvRange): Promise<number[][]> {
  const out: number[][] = [];
  for await (const e of reader.range(range) as AsyncIterable<KvEntry>) out.push([...e.key, -1, ...e.value]);
  return out;
}

export function randomKvTests(fresh: () => Promise<KvStore>): void {
  it("matches a Map model over random concurrent transactions and ranges (seeded)", async () => {
    const seed = Number(process.env.STRATUS_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const rand = mulberry32(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
    const ALPHABET = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];
    const randomKey = () => Uint8Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(ALPHABET));
    const randomRange = (): KvRange => {
      const range: KvRange = {};
      if (rand() < 0.6) range.start = randomKey();
      if (rand() < 0.6) range.end = randomKey();
      if (rand() < 0.5) range.reverse = true;
      if (rand() < 0.4) range.limit = Math.floor(rand() * 6);
      return range;
    };
    const store = await fresh();
    const model: Model = new Map();
    try {
      for (let round = 0; round < 12; round++) {
        // Eight transactions in flight at once; their callbacks still run one after another.
        const batch = Array.from({ length: 8 }, () =>
          store
            .transaction(async (tx) => {
              const local: Model = new Map(model);
              for (let op = 0; op < 12; op++) {
                const roll = rand();
                const key = randomKey();
                if (roll < 0.4) {
                  const value = Uint8Array.from({ length: Math.floor(rand() * 3) }, () => pick(ALPHABET));
                  tx.put(key, value);
                  local.set(toHex(key), { key, value });
                } else if (roll < 0.6) {
                  tx.delete(key);
                  local.delete(toHex(key));
                } else if (roll < 0.8) {
                  assert.deepEqual(await tx.get(key), local.get(toHex(key))?.value, `seed ${seed}: get`);
                } else {
                  const range = randomRange();
                  assert.deepEqual(await actual(tx, range), expected(local, range), `seed ${seed}: tx range`);
                }
                if (rand() < 0.2) await tick();
              }
              if (rand() < 0.15) throw new Error("rollback");
              model.clear();
              for (const [k, v] of local) model.set(k, v);
            })
            .catch((error: Error) => {
              if (error.message !== "rollback") throw error;
            }),
        );
        await Promise.all(batch);
        for (let q = 0; q < 10; q++) {
          const range = randomRange();
          assert.deepEqual(await actual(store, range), expected(model, range), `seed ${seed}: store range`);
        }
      }
    } catch (error) {
      console.error(`kv-random failed with STRATUS_TEST_SEED=${seed}`);
      throw error;
    }
  });
}
