// encodeTuple writes strings straight into a scratch buffer; its bytes must be exactly the documented
// encoding (type code, UTF-8 with 0x00 escaped as 0x00 0xFF, terminator), for any mix of items.
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeTuple, type TupleItem } from "../../../src/storage/tuple.ts";

/** The encoding as tuple.ts documents it, written the slow, obvious way. */
function reference(items: readonly TupleItem[]): Buffer {
  const parts: number[] = [];
  const escaped = (code: number, bytes: Uint8Array) => {
    parts.push(code);
    for (const b of bytes) parts.push(...(b === 0 ? [0, 0xff] : [b]));
    parts.push(0);
  };
  for (const item of items) {
    if (typeof item === "string") escaped(0x02, new TextEncoder().encode(item));
    else if (typeof item === "number") {
      const digits: number[] = [];
      for (let v = item; v > 0; v = Math.floor(v / 256)) digits.unshift(v % 256);
      parts.push(0x14 + digits.length, ...digits);
    } else escaped(0x01, item);
  }
  return Buffer.from(parts);
}

test("encodeTuple writes the documented bytes for random mixes of strings, integers and bytes", () => {
  let seed = 11;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const alphabet = ["a", "Z", "0", "\0", "é", "€", "😀", "\uffff", "/", "\u0080", "\u07ff", "\u0800"];
  const item = (): TupleItem => {
    const r = random();
    if (r < 0.6)
      return Array.from(
        { length: Math.floor(random() * 30) },
        () => alphabet[Math.floor(random() * 12)],
      ).join("");
    if (r < 0.8) return Math.floor(random() * 2 ** 53);
    return Uint8Array.from({ length: Math.floor(random() * 12) }, () =>
      random() < 0.25 ? 0 : Math.floor(random() * 256),
    );
  };
  for (let i = 0; i < 5_000; i++) {
    const items = Array.from({ length: 1 + Math.floor(random() * 5) }, item);
    const encoded = encodeTuple(items);
    assert.equal(encoded.constructor, Uint8Array);
    assert.deepEqual(Buffer.from(encoded), reference(items), JSON.stringify(items));
  }
});

test("encodeTuple grows past its scratch buffer and still refuses lone surrogates", () => {
  const long = `${"x".repeat(20_000)}é`;
  assert.deepEqual(Buffer.from(encodeTuple([long, 7])), reference([long, 7]));
  for (const bad of ["\ud800", "a\udc00b", "\ud800x"]) assert.throws(() => encodeTuple([bad]), TypeError);
});
