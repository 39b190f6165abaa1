/**
 * Document paths: reading a value at a path, printing a path as DynamoDB does in messages
 * ("[a, [2], c]" for a[2].c, dynalite-recorded), and DynamoDB's overlap/conflict rule between
 * the paths of one update or projection:
 *  - overlap: one path is a prefix of (or equal to) the other: [a] and [a, b];
 *  - conflict: at the first position where they differ, one has a map key and the other a list
 *    index: [a, c] and [a, [1]].
 * Overlaps are reported before conflicts (dynalite updateParser checkErrors order, and
 * test/updateItem.js: "set d[1] = a, d.b = a, c[1].a = a, #c = ..." reports the overlap).
 */
import type { AttributeValue, Item } from "../attribute-value.ts";
import type { DocumentPath } from "./ast.ts";
import { ExpressionError, expressionTexts } from "./errors.ts";

export function formatPath(path: DocumentPath): string {
  return `[${path.map((part) => (typeof part === "number" ? `[${part}]` : part)).join(", ")}]`;
}

/** The value at a path, or undefined when any step is missing or of the wrong type. */
export function valueAt(item: Item, path: DocumentPath): AttributeValue | undefined {
  const [head, ...rest] = path;
  if (typeof head !== "string") return undefined;
  let current: AttributeValue | undefined = item[head];
  for (const part of rest) {
    if (current === undefined) return undefined;
    if (typeof part === "number") current = "L" in current ? current.L[part] : undefined;
    else current = "M" in current ? current.M[part] : undefined;
  }
  return current;
}

type Relation = "overlap" | "conflict" | undefined;

function relate(one: DocumentPath, two: DocumentPath): Relation {
  const length = Math.min(one.length, two.length);
  for (let i = 0; i < length; i++) {
    if (typeof one[i] !== typeof two[i]) return "conflict";
    if (one[i] !== two[i]) return undefined;
  }
  return "overlap";
}

/** Throws DynamoDB's overlap (first) or conflict message for the first offending pair. */
export function checkDistinctPaths(paths: readonly DocumentPath[]): void {
  let conflict: string | undefined;
  for (let j = 1; j < paths.length; j++) {
    const two = paths[j] as DocumentPath;
    for (let i = 0; i < j; i++) {
      const one = paths[i] as DocumentPath;
      const relation = relate(one, two);
      if (relation === "overlap")
        throw new ExpressionError(expressionTexts.pathsOverlap(formatPath(one), formatPath(two)));
      if (relation === "conflict" && !conflict)
        conflict = expressionTexts.pathsConflict(formatPath(one), formatPath(two));
    }
  }
  if (conflict) throw new ExpressionError(conflict);
}

export function pathsEqual(one: DocumentPath, two: DocumentPath): boolean {
  return one.length === two.length && one.every((part, i) => part === two[i]);
}
