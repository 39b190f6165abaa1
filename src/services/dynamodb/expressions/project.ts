/**
 * Projection (ProjectionExpression, AttributesToGet, UPDATED_OLD/UPDATED_NEW): a new item holding
 * only the given document paths, nested where they were. Paths that share a prefix merge under
 * one map ("a.b, a.c"); list elements keep their relative order and close up ("l[3], l[1]" of a
 * five-element list gives [l[1], l[3]]); two paths into one element merge into it ("l[0].x,
 * l[0].y"). Missing paths are left out (conformance tests/tier1/batchGetItem/projection;
 * dynalite mapPaths).
 */
import type { AttributeValue, Item } from "../attribute-value.ts";
import { cloneValue } from "../values.ts";
import type { DocumentPath } from "./ast.ts";
import { valueAt } from "./paths.ts";

type Slot = Record<string, AttributeValue> | (AttributeValue | undefined)[];

export function project(paths: readonly DocumentPath[], item: Item): Item {
  const result: Item = {};
  const lists = new Set<(AttributeValue | undefined)[]>();
  for (const path of paths) {
    const value = valueAt(item, path);
    if (value === undefined) continue;
    let slot: Slot = result;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i] as string | number;
      const nextIsIndex = typeof path[i + 1] === "number";
      let child: AttributeValue | undefined = Array.isArray(slot) ? slot[key as number] : slot[key as string];
      if (child === undefined) {
        child = nextIsIndex ? { L: [] } : { M: {} };
        if (Array.isArray(slot)) slot[key as number] = child;
        else slot[key as string] = child;
      }
      if ("L" in child) {
        lists.add(child.L);
        slot = child.L;
      } else {
        slot = (child as { M: Record<string, AttributeValue> }).M;
      }
    }
    const last = path[path.length - 1] as string | number;
    if (Array.isArray(slot)) slot[last as number] = cloneValue(value);
    else slot[last as string] = cloneValue(value);
  }
  for (const list of lists) {
    const kept = list.filter((element) => element !== undefined);
    list.length = 0;
    list.push(...kept);
  }
  return result;
}
