/**
 * Byte encodings of DynamoDB key values for storage keys:
 * - `partitionHash`: 16 bytes (MD5) of the partition key's type and canonical bytes. Items are stored in
 *   hash order, so a Scan walks that order and parallel-scan segments are hash ranges, as in DynamoDB.
 * - `encodeSortValue`: an order-preserving, prefix-free encoding of a sort key value, so that comparing
 *   encodings byte by byte gives DynamoDB's order (numbers by value, strings and binaries by bytes), and
 *   so that bytes appended after it (an index entry's base-key hash) never disturb that order.
 *
 * Numbers are exact: the decimal text is parsed into digits and an exponent, never into a double.
 *
 * Encodings (the key attribute's type is fixed per table, so types never mix within one range):
 * - S, B: the bytes (UTF-8 for S), each 0x00 written as 0x00 0xFF, then the terminator 0x00 0x00. The
 *   terminator sorts below every byte and every escape, so a shorter string sorts first, and no
 *   encoding is a prefix of another.
 * - N: 0x01 negative, 0x02 zero, 0x03 positive; then (positive) a 2-byte exponent E + 0x8000 for
 *   value = 0.d1d2... x 10^E, then the digits in pairs as bytes 1..100 (pair value + 1, a last odd digit
 *   padded with 0), then 0x00. Negative numbers complement every byte after the sign byte, which
 *   reverses their order (larger magnitude sorts first).
 */
import { createHash, hash } from "node:crypto";
import type { AttributeValue } from "./attribute-value.ts";

/** The scalar types a key attribute may have. */
export type KeyType = "S" | "N" | "B";

export interface Decimal {
  /** -1, 0 or 1. */
  sign: number;
  /** Significant digits, no leading or trailing zeros; "" for zero. */
  digits: string;
  /** value = 0.digits x 10^exponent (0 for zero). */
  exponent: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses DynamoDB number text exactly. Throws on text that is not a decimal number. */
export function parseDecimal(text: string): Decimal {
  const match = NUMBER.exec(text.trim());
  const whole = match?.[2] ?? "";
  const fraction = match?.[3] ?? "";
  if (!match || whole.length + fraction.length === 0) throw new Error(`not a number: ${text}`);
  const all = whole + fraction;
  let first = 0;
  while (first < all.length && all[first] === "0") first++;
  if (first === all.length) return { sign: 0, digits: "", exponent: 0 };
  let last = all.length;
  while (all[last - 1] === "0") last--;
  const exponent = whole.length - first + Number.parseInt(match[4] ?? "0", 10);
  return { sign: match[1] === "-" ? -1 : 1, digits: all.slice(first, last), exponent };
}

/** The order-preserving, self-delimiting encoding of a number (see the header). */
export function encodeNumber(text: string): Uint8Array {
  const { sign, digits, exponent } = parseDecimal(text);
  if (sign === 0) return Uint8Array.of(0x02);
  const pairs = Math.ceil(digits.length / 2);
  const out = new Uint8Array(1 + 2 + pairs + 1);
  out[0] = sign < 0 ? 0x01 : 0x03;
  const biased = exponent + 0x8000;
  if (biased < 0 || biased > 0xffff) throw new Error(`number out of range: ${text}`);
  out[1] = (biased >> 8) & 0xff;
  out[2] = biased & 0xff;
  for (let i = 0; i < pairs; i++) {
    const high = digits.charCodeAt(2 * i) - 48;
    const low = 2 * i + 1 < digits.length ? digits.charCodeAt(2 * i + 1) - 48 : 0;
    out[3 + i] = high * 10 + low + 1;
  }
  out[out.length - 1] = 0x00;
  if (sign < 0) for (let i = 1; i < out.length; i++) out[i] = 0xff - out[i]!;
  return out;
}

/** Escapes 0x00 as 0x00 0xFF and appends the terminator 0x00 0x00. */
export function encodeBytes(raw: Uint8Array): Uint8Array {
  let zeros = 0;
  for (const b of raw) if (b === 0) zeros++;
  const out = new Uint8Array(raw.length + zeros + 2);
  if (zeros === 0) {
    out.set(raw, 0);
  } else {
    let at = 0;
    for (const b of raw) {
      out[at++] = b;
      if (b === 0) out[at++] = 0xff;
    }
  }
  return out; // the last two bytes are already 0x00 0x00
}

/** The escaped body without the terminator: every encoding of a value starting with `raw` starts with it. */
export function encodeBytesPrefix(raw: Uint8Array): Uint8Array {
  const full = encodeBytes(raw);
  return full.subarray(0, full.length - 2);
}

const utf8 = new TextEncoder();

/** The raw bytes of a key value: UTF-8 for S, decoded base64 for B, the canonical encoding for N. */
export function keyValueBytes(type: KeyType, value: AttributeValue): Uint8Array {
  const v = value as Record<string, unknown>;
  const raw = v[type];
  if (typeof raw !== "string") throw new Error(`key value is not of type ${type}`);
  if (type === "S") return utf8.encode(raw);
  if (type === "B") return Buffer.from(raw, "base64");
  return encodeNumber(raw);
}

/** The sort-order encoding of a sort key value. */
export function encodeSortValue(type: KeyType, value: AttributeValue): Uint8Array {
  const bytes = keyValueBytes(type, value);
  return type === "N" ? bytes : encodeBytes(bytes);
}

const TYPE_TAG: Record<KeyType, number> = { S: 1, N: 2, B: 3 };

/** 16 bytes identifying a partition key value: MD5 of its type tag and canonical bytes. */
export function partitionHash(type: KeyType, value: AttributeValue): Uint8Array {
  // One-shot hashing (crypto.hash, Node ≥ 20.12) skips the Hash object a streaming digest allocates:
  // this runs on every item read and write.
  const bytes = keyValueBytes(type, value);
  const input = new Uint8Array(bytes.length + 1);
  input[0] = TYPE_TAG[type];
  input.set(bytes, 1);
  return new Uint8Array(hash("md5", input, "buffer"));
}

/** 16 bytes identifying a whole item key (partition and sort value), for index entries. */
export function itemKeyHash(
  hashType: KeyType,
  hashValue: AttributeValue,
  rangeType: KeyType | undefined,
  rangeValue: AttributeValue | undefined,
): Uint8Array {
  const hash = createHash("md5");
  const partition = keyValueBytes(hashType, hashValue);
  hash.update(Uint8Array.of(TYPE_TAG[hashType]));
  hash.update(encodeBytes(partition)); // self-delimiting, so (pk, sk) pairs cannot run together
  if (rangeType !== undefined && rangeValue !== undefined) {
    hash.update(Uint8Array.of(TYPE_TAG[rangeType]));
    hash.update(keyValueBytes(rangeType, rangeValue));
  }
  return new Uint8Array(hash.digest());
}

/** Whether two values of a key type are the same key value (numbers by value, binaries by bytes). */
export function sameKeyValue(type: KeyType, a: AttributeValue, b: AttributeValue): boolean {
  const x = (a as Record<string, unknown>)[type];
  const y = (b as Record<string, unknown>)[type];
  if (typeof x !== "string" || typeof y !== "string") return false;
  if (x === y) return true;
  if (type === "S") return false;
  return Buffer.compare(keyValueBytes(type, a), keyValueBytes(type, b)) === 0;
}
