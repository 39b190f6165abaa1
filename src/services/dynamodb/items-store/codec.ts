/**
 * Stored values. Items and index entries are their DynamoDB JSON (what the client sent, numbers as the
 * item operations canonicalised them) behind a one-byte format tag, so a later compact encoding can be
 * introduced next to this one and read both. JSON.parse/stringify are the fastest codecs V8 has for
 * this shape; measure before replacing them.
 *
 * Counters are two big-endian float64s: item count and bytes (exact up to 2^53).
 */
import type { Item } from "../attribute-value.ts";

const JSON_ITEM = 0x01;
const encoder = new TextEncoder();

export function encodeItem(item: Item): Uint8Array {
  const json = encoder.encode(JSON.stringify(item));
  const out = new Uint8Array(json.length + 1);
  out[0] = JSON_ITEM;
  out.set(json, 1);
  return out;
}

export function decodeItem(bytes: Uint8Array): Item {
  if (bytes[0] !== JSON_ITEM) throw new Error(`unknown DynamoDB item format 0x${bytes[0]?.toString(16)}`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.byteLength - 1).toString("utf8");
  return JSON.parse(text) as Item;
}

export interface Counter {
  count: number;
  bytes: number;
}

export function encodeCounter(counter: Counter): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setFloat64(0, counter.count);
  view.setFloat64(8, counter.bytes);
  return out;
}

export function decodeCounter(bytes: Uint8Array | undefined): Counter {
  if (bytes === undefined || bytes.length !== 16) return { count: 0, bytes: 0 };
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return { count: view.getFloat64(0), bytes: view.getFloat64(8) };
}
