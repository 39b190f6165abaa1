/**
 * Order-preserving encoding of key tuples, in the style (and with the type codes) of FoundationDB's
 * tuple layer, so that comparing two encoded keys byte by byte gives the same answer as comparing the
 * tuples item by item. Services build their keys as `tuple(service, accountId, region, table, ...)` and
 * scan a whole table or partition with `tupleRange(service, accountId, region, table)`.
 *
 * Items and their order (items of different types order by type code):
 * - byte array  0x01, bytes with each 0x00 written as 0x00 0xFF, then 0x00   (unsigned byte order)
 * - string      0x02, UTF-8 escaped the same way, then 0x00                  (UTF-8 byte order = code
 *               point order; note JavaScript's `<` compares UTF-16 units, which differs above U+FFFF)
 * - integer     0x14 for 0; 0x14+n then n big-endian bytes (no leading zeros) for a positive integer,
 *               n <= 7 for safe integers, so a longer integer is a larger one
 * The 0x00 terminator (escaped inside the item) makes every item self-delimiting, so ("a") sorts before
 * ("a", 1) and before ("ab").
 *
 * Tuple prefixes versus byte prefixes: the encoding of ("a") is also a byte prefix of ("a\0"), whose
 * string continues with the escaped 0x00 0xFF. Every item starts with a type code below 0xFF, so the
 * keys of the tuples that start with some items are exactly [p, p + 0xFF) where p encodes those items:
 * `tupleRange` gives that range; `prefixRange(p)` would also take in ("a\0", ...).
 */

export type TupleItem = string | number | Uint8Array;

const BYTES = 0x01;
const STRING = 0x02;
const INT_ZERO = 0x14;
const MAX_INT_BYTES = 7; // 2^53 - 1 fits in 7 bytes
const ESCAPE = 0xff;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true });
// A lone surrogate cannot be written as UTF-8; TextEncoder would silently turn it into U+FFFD, making two
// different strings share one key.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Encodes the items as one key. Throws on an item type or value the encoding cannot order. */
export function tuple(...items: TupleItem[]): Uint8Array {
  return encodeTuple(items);
}

/** Where keys are assembled before their one copy out; grown when an item needs more. */
let scratch = Buffer.allocUnsafe(4096);
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The items written one after the other into a scratch buffer, then copied out once: one allocation
 * per key instead of one per item plus their concatenation, and strings written by Buffer#write rather
 * than TextEncoder. Every key of every service is built here (a 1 KB S3 GET builds several).
 */
export function encodeTuple(items: readonly TupleItem[]): Uint8Array {
  let at = 0;
  for (const item of items) {
    if (typeof item === "string" && !item.includes("\0")) {
      // The costly lone-surrogate test only for strings that hold a surrogate at all.
      if (SURROGATE.test(item) && loneSurrogate.test(item))
        throw new TypeError("tuple: string item is not well-formed UTF-16");
      // At most 3 UTF-8 bytes per UTF-16 unit, plus the type code and the terminator.
      reserve(at + item.length * 3 + 2);
      scratch[at++] = STRING;
      at += scratch.write(item, at, "utf8");
      scratch[at++] = 0x00;
    } else {
      // U+0000 in a string, bytes, integers: the general, escaping path.
      const encoded = encodeItem(item);
      reserve(at + encoded.length);
      scratch.set(encoded, at);
      at += encoded.length;
    }
  }
  const out = new Uint8Array(at);
  out.set(scratch.subarray(0, at));
  return out;
}

function reserve(size: number): void {
  if (size <= scratch.length) return;
  const grown = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  scratch.copy(grown);
  scratch = grown;
}

function encodeItem(item: TupleItem): Uint8Array {
  if (typeof item === "string") {
    if (loneSurrogate.test(item)) throw new TypeError("tuple: string item is not well-formed UTF-16");
    return escaped(STRING, utf8.encode(item));
  }
  if (typeof item === "number") return encodeInteger(item);
  if (item instanceof Uint8Array) return escaped(BYTES, item);
  throw new TypeError(`tuple: unsupported item type ${typeof item}`);
}

function escaped(code: number, raw: Uint8Array): Uint8Array {
  let zeros = 0;
  for (const b of raw) if (b === 0) zeros++;
  const out = new Uint8Array(raw.length + zeros + 2);
  out[0] = code;
  let at = 1;
  if (zeros === 0) {
    out.set(raw, 1);
    at += raw.length;
  } else {
    for (const b of raw) {
      out[at++] = b;
      if (b === 0) out[at++] = ESCAPE;
    }
  }
  out[at] = 0x00;
  return out;
}

function encodeInteger(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`tuple: integer items must be non-negative safe integers, got ${n}`);
  }
  const digits: number[] = [];
  // Division, not bit shifts: shifts truncate to 32 bits and safe integers go up to 2^53.
  for (let v = n; v > 0; v = Math.floor(v / 256)) digits.unshift(v % 256);
  const out = new Uint8Array(1 + digits.length);
  out[0] = INT_ZERO + digits.length;
  out.set(digits, 1);
  return out;
}

/** The items of an encoded tuple. Throws on bytes that `tuple()` cannot have produced. */
export function decodeTuple(key: Uint8Array): TupleItem[] {
  const items: TupleItem[] = [];
  let at = 0;
  while (at < key.length) {
    const code = key[at++]!;
    if (code === BYTES || code === STRING) {
      const [raw, next] = readEscaped(key, at);
      at = next;
      items.push(code === BYTES ? raw : utf8Strict.decode(raw));
    } else if (code >= INT_ZERO && code <= INT_ZERO + MAX_INT_BYTES) {
      const length = code - INT_ZERO;
      if (at + length > key.length) throw new Error("decodeTuple: integer runs past the end of the key");
      if (length > 0 && key[at] === 0) throw new Error("decodeTuple: integer has a leading zero byte");
      let n = 0;
      for (let i = 0; i < length; i++) n = n * 256 + key[at + i]!;
      if (!Number.isSafeInteger(n)) throw new Error("decodeTuple: integer is not a safe integer");
      items.push(n);
      at += length;
    } else {
      throw new Error(`decodeTuple: unknown type code 0x${code.toString(16).padStart(2, "0")} at ${at - 1}`);
    }
  }
  return items;
}

/** The raw bytes of an escaped item starting at `from`, and the offset just after its terminator. */
function readEscaped(key: Uint8Array, from: number): [Uint8Array, number] {
  const out: number[] = [];
  let at = from;
  for (;;) {
    if (at >= key.length) throw new Error("decodeTuple: string or bytes item has no terminator");
    const b = key[at++]!;
    if (b !== 0) {
      out.push(b);
    } else if (key[at] === ESCAPE) {
      out.push(0);
      at++;
    } else {
      return [Uint8Array.from(out), at];
    }
  }
}

/**
 * The smallest key greater than every key that starts with `prefix` (FoundationDB's strinc): drop
 * trailing 0xFF bytes and add one to the last remaining byte. Undefined when no such key exists (the
 * prefix is empty or all 0xFF), which as a range end means "to the last key".
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  let last = prefix.length - 1;
  while (last >= 0 && prefix[last] === 0xff) last--;
  if (last < 0) return undefined;
  // A copy: Buffer#slice shares memory, and the caller's prefix must not change.
  const end = new Uint8Array(prefix.subarray(0, last + 1));
  end[last] = end[last]! + 1;
  return end;
}

/** The range of every key whose bytes start with `prefix`, for `KvReader.range`. */
export function prefixRange(prefix: Uint8Array): { start: Uint8Array; end?: Uint8Array } {
  const end = prefixEnd(prefix);
  return end === undefined ? { start: prefix } : { start: prefix, end };
}

/**
 * The range of the keys of every tuple that starts with `items` (the tuple of `items` itself included),
 * for `KvReader.range`: [p, p + 0xFF), p = tuple(...items). Use this, not `prefixRange`, for tuples: see
 * the note at the top of this file.
 */
export function tupleRange(...items: TupleItem[]): { start: Uint8Array; end: Uint8Array } {
  const start = encodeTuple(items);
  const end = new Uint8Array(start.length + 1);
  end.set(start);
  end[start.length] = 0xff;
  return { start, end };
}
