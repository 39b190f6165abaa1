/**
 * Byte-array helpers shared by the storage engines and key encodings. Keys sort by unsigned byte order
 * (memcmp), the order LMDB uses for binary keys, so every in-memory structure must use the same order.
 */

/**
 * Unsigned lexicographic comparison: negative if `a` sorts before `b`, 0 if equal, positive after. A
 * proper prefix sorts before the longer key. This is the B-trees' comparator, called many times per
 * operation: for short keys the JavaScript loop beats Buffer.compare (memcmp behind a native call;
 * measured: 20,000 concurrent one-put transactions ran 1.5x faster), which wins on long keys.
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  if (n > 64) return Buffer.compare(a, b);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** A private copy, so later changes to the caller's array cannot reach stored data (or the reverse). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** Printable form for error messages and debugging. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** The bytes of `parts` one after another, in one new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const part of parts) size += part.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
