/**
 * Key encodings: comparing encodings byte by byte must give DynamoDB's order (numbers by exact value,
 * strings by UTF-8 bytes, binaries by bytes), equal values must encode alike, and no encoding may be a
 * prefix of another (index entries append a hash after the sort key).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  encodeBytes,
  encodeNumber,
  encodeSortValue,
  parseDecimal,
  partitionHash,
} from "../../../../src/services/dynamodb/keys.ts";
import { compareBytes } from "../../../../src/storage/bytes.ts";

/** Exact comparison of two decimal texts through BigInt: the reference the encoding must agree with. */
function compareDecimal(a: string, b: string): number {
  const scaled = (text: string, scale: number) => {
    const { sign, digits, exponent } = parseDecimal(text);
    if (sign === 0) return 0n;
    // value = 0.digits x 10^exponent = digits x 10^(exponent - digits.length); scale to 10^-scale units.
    const power = exponent - digits.length + scale;
    return BigInt(sign) * BigInt(digits) * 10n ** BigInt(power);
  };
  const scale = 400;
  const x = scaled(a, scale);
  const y = scaled(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

function isPrefix(a: Uint8Array, b: Uint8Array): boolean {
  return a.length < b.length && a.every((byte, i) => byte === b[i]);
}

function randomDecimal(random: () => number): string {
  const digits = Array.from({ length: 1 + Math.floor(random() * 38) }, () => Math.floor(random() * 10)).join(
    "",
  );
  const point = Math.floor(random() * (digits.length + 1));
  const text = `${digits.slice(0, point) || "0"}.${digits.slice(point) || "0"}`;
  const exponent = Math.floor(random() * 260) - 130;
  return `${random() < 0.5 ? "-" : ""}${text}e${exponent}`;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("DynamoDB key encodings", () => {
  it("orders numbers by exact value, across signs, magnitudes and 38 significant digits", () => {
    const ordered = [
      "-1e126",
      "-99999999999999999999999999999999999999",
      "-12345678901234567890123456789012345678",
      "-100",
      "-10.5",
      "-10",
      "-1.0000000000000000000000000000000000001",
      "-1",
      "-0.5",
      "-0.05",
      "-1e-130",
      "0",
      "1e-130",
      "0.05",
      "0.5",
      "0.505",
      "0.51",
      "1",
      "1.0000000000000000000000000000000000001",
      "9.99",
      "10",
      "10.5",
      "100",
      "12345678901234567890123456789012345678",
      "99999999999999999999999999999999999999",
      "1e126",
    ];
    for (let i = 1; i < ordered.length; i++) {
      const before = ordered[i - 1]!;
      const after = ordered[i]!;
      assert.ok(compareBytes(encodeNumber(before), encodeNumber(after)) < 0, `${before} < ${after}`);
    }
  });

  it("agrees with exact decimal comparison on random numbers, and is prefix-free", () => {
    const random = seeded(42);
    const numbers = Array.from({ length: 400 }, () => randomDecimal(random));
    for (let i = 0; i < numbers.length; i++) {
      for (let j = i + 1; j < Math.min(numbers.length, i + 40); j++) {
        const a = numbers[i]!;
        const b = numbers[j]!;
        const ea = encodeNumber(a);
        const eb = encodeNumber(b);
        assert.equal(sign(compareBytes(ea, eb)), compareDecimal(a, b), `${a} vs ${b}`);
        assert.ok(!isPrefix(ea, eb) && !isPrefix(eb, ea), `prefix: ${a} / ${b}`);
      }
    }
  });

  it("encodes equal numbers alike whatever their text", () => {
    for (const group of [
      ["1", "1.0", "10e-1", "0.1e1", "+1", "001.000"],
      ["0", "-0", "0.000", "0e10"],
      ["-1.5e3", "-1500", "-1500.00"],
    ]) {
      for (const text of group) assert.deepEqual(encodeNumber(text), encodeNumber(group[0]!), text);
    }
  });

  it("orders strings by UTF-8 bytes (not UTF-16 units) and keeps 0x00 and prefixes in order", () => {
    const ordered = [
      "",
      "\u0000",
      "\u0000\u0000",
      "\u0001",
      "A",
      "a",
      "a\u0000",
      "a\u0000b",
      "ab",
      "\uffff",
      "\u{10000}",
      "\u{10ffff}",
    ];
    const encode = (s: string) => encodeSortValue("S", { S: s });
    for (let i = 1; i < ordered.length; i++) {
      const a = encode(ordered[i - 1]!);
      const b = encode(ordered[i]!);
      assert.ok(compareBytes(a, b) < 0, `${JSON.stringify(ordered[i - 1])} < ${JSON.stringify(ordered[i])}`);
      assert.ok(!isPrefix(a, b), "prefix-free");
    }
    // JavaScript's own < disagrees on the last pair: UTF-16 puts U+10000 before U+FFFF.
    assert.ok("\u{10000}" < "\uffff");
  });

  it("orders binaries by bytes, and appended bytes never change the order", () => {
    const values = [[], [0], [0, 0], [0, 255], [1], [1, 0], [255], [255, 255]].map((bytes) =>
      Uint8Array.from(bytes),
    );
    const suffixes = [Uint8Array.of(0), Uint8Array.of(255, 255)];
    for (let i = 1; i < values.length; i++) {
      for (const x of suffixes) {
        for (const y of suffixes) {
          const a = Buffer.concat([encodeBytes(values[i - 1]!), x]);
          const b = Buffer.concat([encodeBytes(values[i]!), y]);
          assert.ok(compareBytes(a, b) < 0, `${values[i - 1]} < ${values[i]}`);
        }
      }
    }
    assert.deepEqual(
      encodeSortValue("B", { B: Buffer.from([1, 0, 2]).toString("base64") }),
      Uint8Array.of(1, 0, 0xff, 2, 0, 0),
    );
  });

  it("hashes partition keys by type and canonical value", () => {
    assert.equal(partitionHash("N", { N: "1" }).length, 16);
    assert.deepEqual(partitionHash("N", { N: "1" }), partitionHash("N", { N: "1.00" }));
    assert.notDeepEqual(partitionHash("N", { N: "1" }), partitionHash("N", { N: "2" }));
    assert.notDeepEqual(partitionHash("S", { S: "AQ==" }), partitionHash("B", { B: "AQ==" }));
    assert.deepEqual(
      partitionHash("B", { B: "AQI=" }),
      partitionHash("B", { B: Buffer.from([1, 2]).toString("base64") }),
    );
  });
});
