/**
 * A byte-ordered in-memory map: the memory engine's table, the pending-commit overlay and each
 * transaction's write buffer. sorted-btree is a B+ tree with O(1) copy-on-write `clone()`, which is what
 * lets a range scan freeze a consistent view of a map that later transactions keep changing.
 */
import sortedBtree from "sorted-btree";
import { compareBytes } from "./bytes.ts";
import type { KvRange } from "./kv.ts";

// sorted-btree is CommonJS with `exports.default`; Node's ESM loader hands us the exports object.
const BTree = sortedBtree.default;

export type ByteMap<V> = InstanceType<typeof BTree<Uint8Array, V>>;

export function newByteMap<V>(): ByteMap<V> {
  return new BTree<Uint8Array, V>(undefined, compareBytes);
}

/**
 * The map's entries inside `range` ([start, end)), ascending or, with `range.reverse`, descending. The
 * map must not change while this runs (iterate a `clone()` if it may). `range.limit` is ignored: the
 * caller merges several sources and applies the limit to the merged result.
 */
export function* mapRange<V>(map: ByteMap<V>, range: KvRange): Generator<[Uint8Array, V]> {
  const { start, end } = range;
  if (range.reverse) {
    // entriesReversed(end, _, true) starts at the greatest key <= end and skips `end` itself.
    for (const pair of map.entriesReversed(end, undefined, end !== undefined)) {
      if (start !== undefined && compareBytes(pair[0], start) < 0) return;
      yield pair;
    }
  } else {
    for (const pair of map.entries(start)) {
      if (end !== undefined && compareBytes(pair[0], end) >= 0) return;
      yield pair;
    }
  }
}
