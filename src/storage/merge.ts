/**
 * Merges the layers a read sees into one ordered stream. Newest layer first: a transaction's own write
 * buffer, then the overlay of commits that are not yet durable, then the engine's committed data. When
 * several layers hold a key the newest wins, and a tombstone (value null) hides the key entirely.
 */
import { compareBytes } from "./bytes.ts";

export interface LayerEntry {
  key: Uint8Array;
  /** null: deleted in this layer, hiding any older value. */
  value: Uint8Array | null;
}

/**
 * Live entries (tombstones dropped) of the merged layers, in ascending key order or, with `reverse`,
 * descending. Each layer must itself be ordered the same way. Lazy: a layer is only read as far as the
 * merged stream has been consumed, so a limit on the result bounds the work.
 */
export function* mergeLayers(layers: Iterator<LayerEntry>[], reverse: boolean): Generator<LayerEntry> {
  // One layer (the usual read: no own writes, nothing awaiting fsync) has nothing to merge with: pass
  // its entries through without comparing a single key.
  if (layers.length === 1) {
    const only = layers[0] as Iterator<LayerEntry>;
    for (let step = only.next(); step.done !== true; step = only.next()) {
      if (step.value.value !== null) yield step.value;
    }
    return;
  }
  const heads = layers.map((layer) => nextOf(layer));
  const sign = reverse ? -1 : 1;
  for (;;) {
    // The layer holding the next key; on a tie the lower index (newer layer) is kept.
    let best = -1;
    let bestKey: Uint8Array | undefined;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head === undefined) continue;
      if (bestKey === undefined || sign * compareBytes(head.key, bestKey) < 0) {
        best = i;
        bestKey = head.key;
      }
    }
    if (bestKey === undefined) return;
    const winner = heads[best]!;
    // Step every layer that holds this key past it: older values of the key are shadowed.
    for (let i = best; i < heads.length; i++) {
      const head = heads[i];
      if (head !== undefined && (i === best || compareBytes(head.key, bestKey) === 0)) {
        heads[i] = nextOf(layers[i]!);
      }
    }
    if (winner.value !== null) yield winner;
  }
}

function nextOf(layer: Iterator<LayerEntry>): LayerEntry | undefined {
  const step = layer.next();
  return step.done ? undefined : step.value;
}
