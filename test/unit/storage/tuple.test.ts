import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareBytes, toHex } from "../../../src/storage/bytes.ts";
import {
  decodeTuple,
  prefixEnd,
  prefixRange,
  type TupleItem,
  tuple,
  tupleRange,
} from "../../../src/storage/tuple.ts";
import { mulberry32 } from "./kv-random.ts";

const hex = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : toHex(bytes));

// The reference order, written independently of the encoding: byte arrays < strings < integers (the
// type codes' order); strings by UTF-8 bytes; a tuple that is a prefix of another sorts first.
function rank(item: TupleItem): number {
  return item instanceof Uint8Array ? 0 : typeof item === "string" ? 1 : 2;
}
function compareItems(a: TupleItem, b: TupleItem): number {
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string")
    return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
  return Buffer.compare(a as Uint8Array, b as Uint8Array);
}
function compareTuples(a: TupleItem[], b: TupleItem[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = compareItems(a[i]!, b[i]!);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function randomTuples(seed: number, count: number): TupleItem[][] {
  const rand = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const STRINGS = [
    "",
    "a",
    "ab",
    "a\0",
    "a\0b",
    "\0",
    "\u00ff",
    "\u0100",
    "\uffff",
    "😀",
    "z",
    "Z",
    "é",
    "\u{10ffff}",
  ];
  const INTS = [
    0,
    1,
    2,
    127,
    128,
    255,
    256,
    257,
    65535,
    65536,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 48,
    Number.MAX_SAFE_INTEGER,
  ];
  const item = (): TupleItem => {
    const r = rand();
    if (r < 0.35) {
      return rand() < 0.5 ? pick(STRINGS) : pick(STRINGS) + pick(STRINGS);
    }
    if (r < 0.7) return rand() < 0.5 ? pick(INTS) : Math.floor(rand() * 2 ** (1 + Math.floor(rand() * 52)));
    return Uint8Array.from({ length: Math.floor(rand() * 4) }, () => pick([0x00, 0x01, 0xfe, 0xff]));
  };
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(rand() * 4) }, item));
}

describe("tuple encoding", () => {
  it("writes FoundationDB's tuple-layer bytes", () => {
    assert.equal(hex(tuple("a")), "026100");
    assert.equal(hex(tuple("a\0b")), "026100ff6200");
    assert.equal(hex(tuple(b(0, 0xff))), "0100ffff00");
    assert.equal(hex(tuple(0)), "14");
    assert.equal(hex(tuple(1)), "1501");
    assert.equal(hex(tuple(255)), "15ff");
    assert.equal(hex(tuple(256)), "160100");
    assert.equal(hex(tuple(Number.MAX_SAFE_INTEGER)), "1b1fffffffffffff");
    assert.equal(hex(tuple("s", 1, b())), "0273001501" + "0100");
    assert.equal(hex(tuple()), "");
  });

  it("round-trips random tuples", () => {
    for (const t of randomTuples(7, 2000)) assert.deepEqual(decodeTuple(tuple(...t)), t);
  });

  it("orders encoded keys exactly as the tuples order (random tuples, seeded)", () => {
    const seed = Number(process.env.STRATUS_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const tuples = randomTuples(seed, 600);
    const byTuple = [...tuples].sort(compareTuples);
    const byBytes = [...tuples].sort((a, b) => compareBytes(tuple(...a), tuple(...b)));
    assert.deepEqual(
      byBytes.map((t) => hex(tuple(...t))),
      byTuple.map((t) => hex(tuple(...t))),
      `seed ${seed}`,
    );
    for (let i = 0; i + 1 < tuples.length; i++) {
      const x = tuples[i]!;
      const y = tuples[i + 1]!;
      assert.equal(
        Math.sign(compareBytes(tuple(...x), tuple(...y))),
        Math.sign(compareTuples(x, y)),
        `seed ${seed}`,
      );
    }
  });

  it("selects with tupleRange exactly the tuples that start with the given items", () => {
    const tuples = randomTuples(11, 400);
    tuples.push([b(0), 1], [b(0, 0)], ["a"], ["a\0"], ["a\0", 1], ["a", 0]);
    for (const t of [...tuples.slice(0, 60), [b(0)], ["a"], []]) {
      const prefix = t.slice(0, Math.max(0, t.length - 1));
      const range = tupleRange(...prefix);
      for (const other of tuples) {
        const key = tuple(...other);
        const inRange =
          compareBytes(key, range.start) >= 0 &&
          (range.end === undefined || compareBytes(key, range.end) < 0);
        const startsWith = prefix.every((item, i) => i < other.length && compareItems(item, other[i]!) === 0);
        assert.equal(inRange, startsWith, `${JSON.stringify(prefix)} vs ${JSON.stringify(other)}`);
      }
    }
    assert.ok(compareBytes(tuple("a"), tuple("a", 0)) < 0);
    // Why prefixRange is the wrong tool for tuples: ("a\0") continues ("a")'s bytes.
    const bytePrefix = prefixRange(tuple("a"));
    assert.ok(compareBytes(tuple("a\0"), bytePrefix.end!) < 0);
    assert.ok(compareBytes(tuple("a\0"), tupleRange("a").end) > 0);
    assert.ok(compareBytes(tuple("a", Number.MAX_SAFE_INTEGER), tuple("ab")) < 0);
  });

  it("refuses items it cannot order or round-trip", () => {
    assert.throws(() => tuple(-1), RangeError);
    assert.throws(() => tuple(1.5), RangeError);
    assert.throws(() => tuple(2 ** 53), RangeError);
    assert.throws(() => tuple(Number.NaN), RangeError);
    assert.throws(() => tuple("\ud800"), TypeError);
    assert.throws(() => tuple("a\udc00"), TypeError);
    assert.throws(() => tuple(true as unknown as string), TypeError);
    assert.throws(() => decodeTuple(b(0x02, 0x61)), /terminator/);
    assert.throws(() => decodeTuple(b(0x16, 0x01)), /past the end/);
    assert.throws(() => decodeTuple(b(0x15, 0x00)), /leading zero/);
    assert.throws(() => decodeTuple(b(0x30)), /unknown type code/);
    assert.throws(() => decodeTuple(b(0x02, 0xff, 0x00)), TypeError, "invalid UTF-8");
  });
});

describe("prefixEnd", () => {
  it("is the smallest key after every key with the prefix", () => {
    assert.equal(hex(prefixEnd(b(1, 2))), "0103");
    assert.equal(hex(prefixEnd(b(1, 0xff))), "02");
    assert.equal(hex(prefixEnd(b(1, 0xfe, 0xff, 0xff))), "01ff");
    assert.equal(prefixEnd(b(0xff, 0xff)), undefined);
    assert.equal(prefixEnd(b()), undefined);
    assert.deepEqual(prefixRange(b(0xff)), { start: b(0xff) });
  });

  it("does not change its argument, even a Buffer (whose slice shares memory)", () => {
    const prefix = Buffer.from([5, 6]);
    prefixEnd(prefix);
    assert.deepEqual([...prefix], [5, 6]);
  });
});

describe("compareBytes", () => {
  it("agrees with Buffer.compare on short and long keys", () => {
    const rand = mulberry32(3);
    const key = () => {
      const long = rand() < 0.3;
      return Uint8Array.from({ length: Math.floor(rand() * (long ? 200 : 6)) }, () =>
        rand() < 0.8 ? 7 : Math.floor(rand() * 256),
      );
    };
    for (let i = 0; i < 5000; i++) {
      const x = key();
      const y = key();
      assert.equal(Math.sign(compareBytes(x, y)), Buffer.compare(x, y));
    }
  });
});

function b(...bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes);
}
