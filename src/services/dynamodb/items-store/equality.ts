/**
 * Whether two items hold the same data, as DynamoDB decides when a write "does not change any data"
 * (no stream record then): maps compare by key regardless of order, sets by members regardless of
 * order, numbers by value, binaries by bytes.
 */
import type { AttributeValue, Item } from "../attribute-value.ts";
import { encodeNumber } from "../keys.ts";

export function sameItem(a: Item, b: Item): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  for (const name of names) {
    const other = b[name];
    if (other === undefined || !sameValue(a[name]!, other)) return false;
  }
  return true;
}

function sameNumber(x: string, y: string): boolean {
  return x === y || Buffer.compare(encodeNumber(x), encodeNumber(y)) === 0;
}

function sameBinary(x: string, y: string): boolean {
  return x === y || Buffer.from(x, "base64").equals(Buffer.from(y, "base64"));
}

function sameSet(xs: string[], ys: string[], same: (x: string, y: string) => boolean): boolean {
  return xs.length === ys.length && xs.every((x) => ys.some((y) => same(x, y)));
}

export function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  if ("S" in a) return "S" in b && a.S === b.S;
  if ("N" in a) return "N" in b && sameNumber(a.N, b.N);
  if ("B" in a) return "B" in b && sameBinary(a.B, b.B);
  if ("BOOL" in a) return "BOOL" in b && a.BOOL === b.BOOL;
  if ("NULL" in a) return "NULL" in b;
  if ("SS" in a) return "SS" in b && sameSet(a.SS, b.SS, (x, y) => x === y);
  if ("NS" in a) return "NS" in b && sameSet(a.NS, b.NS, sameNumber);
  if ("BS" in a) return "BS" in b && sameSet(a.BS, b.BS, sameBinary);
  if ("L" in a) return "L" in b && a.L.length === b.L.length && a.L.every((x, i) => sameValue(x, b.L[i]!));
  if ("M" in a) return "M" in b && sameItem(a.M, b.M);
  return false;
}
