/**
 * Applies a checked update (UpdateExpression or translated AttributeUpdates) to an item, returning
 * a new item; the input is never modified. Semantics recorded against DynamoDB (dynalite
 * actions/updateItem.js and test/updateItem.js; conformance tests/tier1/updateItem/paths):
 *
 * - Every SET value is computed from the item as it was before the update, first to last.
 * - A nested target needs its parent to exist with the right type (a map for ".key", a list for
 *   "[n]"), for SET, REMOVE, ADD and DELETE alike: else "The document path provided in the update
 *   expression is invalid for update". A missing top-level attribute is fine.
 * - List indexes name positions in the list as it was: REMOVE leaves a gap, SET past the end lands
 *   after the last element, and gaps close at the end. So on [1, 3], "SET c[1] = x, c[4] = y,
 *   c[2] = z ADD c[8] :s, c[6] :n" yields [1, x, z, y, n, s].
 * - ADD: to a missing attribute stores the value; numbers add exactly; sets take the union. DELETE
 *   removes set members and drops the attribute when the set empties. A type mismatch is "An
 *   operand in the update expression has an incorrect data type" ("Type mismatch for attribute to
 *   update" for AttributeUpdates, where ADD also appends to lists).
 */
import type { AttributeValue, Item } from "../attribute-value.ts";
import { typeOf } from "../attribute-value.ts";
import { addNumbers, subtractNumbers } from "../numbers.ts";
import { cloneItem, cloneValue, setContains } from "../values.ts";
import type { DocumentPath, PathElement, Update, UpdateAction, UpdateValue } from "./ast.ts";
import { invalid, updateTexts } from "./errors.ts";
import { valueAt } from "./paths.ts";

type Container =
  | { readonly map: Record<string, AttributeValue> }
  | { readonly list: (AttributeValue | undefined)[] };

/** The document paths an update writes (for ReturnValues UPDATED_OLD / UPDATED_NEW). */
export function updatedPaths(update: Update): DocumentPath[] {
  return update.actions.map((action) => action.path);
}

export function applyUpdate(update: Update, item: Item): Item {
  const values = new Map<UpdateAction, AttributeValue>();
  for (const action of update.actions) {
    if (action.kind === "set") values.set(action, evaluateValue(action.value, item));
  }
  const working = cloneItem(item);
  const gapped = new Set<(AttributeValue | undefined)[]>();
  const mismatch = () => invalid(update.legacy ? updateTexts.legacyTypeMismatch : updateTexts.wrongType);
  for (const action of update.actions) {
    const last = action.path[action.path.length - 1] as PathElement;
    const container = containerOf(working, action.path);
    const current = read(container, last);
    switch (action.kind) {
      case "set":
        write(container, last, cloneValue(values.get(action) as AttributeValue), gapped);
        break;
      case "remove":
        remove(container, last, gapped);
        break;
      case "add":
        write(container, last, added(current, action.value, update.legacy === true, mismatch), gapped);
        break;
      case "delete": {
        if (current === undefined) break;
        const rest = without(current, action.value, mismatch);
        if (rest) write(container, last, rest, gapped);
        else remove(container, last, gapped);
        break;
      }
    }
  }
  for (const list of gapped) {
    const kept = list.filter((element) => element !== undefined);
    list.length = 0;
    list.push(...kept);
  }
  return working;
}

function containerOf(working: Item, path: DocumentPath): Container {
  if (path.length === 1) return { map: working };
  const parent = valueAt(working, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent && typeof last === "number" && "L" in parent) return { list: parent.L };
  if (parent && typeof last === "string" && "M" in parent) return { map: parent.M };
  throw invalid(updateTexts.invalidPath);
}

function read(container: Container, key: PathElement): AttributeValue | undefined {
  return "map" in container ? container.map[key as string] : container.list[key as number];
}

function write(container: Container, key: PathElement, value: AttributeValue, gapped: Set<unknown>): void {
  if ("map" in container) {
    container.map[key as string] = value;
    return;
  }
  const index = key as number;
  if (index >= container.list.length) gapped.add(container.list);
  container.list[index] = value;
}

function remove(container: Container, key: PathElement, gapped: Set<unknown>): void {
  if ("map" in container) {
    delete container.map[key as string];
    return;
  }
  const index = key as number;
  if (index < container.list.length) {
    container.list[index] = undefined;
    gapped.add(container.list);
  }
}

function added(
  current: AttributeValue | undefined,
  value: AttributeValue,
  legacy: boolean,
  mismatch: () => Error,
): AttributeValue {
  if (current === undefined) return cloneValue(value);
  if ("N" in current && "N" in value) return { N: addNumbers(current.N, value.N) };
  if (legacy && "L" in current && "L" in value) return { L: [...current.L, ...value.L.map(cloneValue)] };
  if (typeOf(current) !== typeOf(value) || !isSet(current)) throw mismatch();
  return union(current, value);
}

function isSet(value: AttributeValue): boolean {
  return "SS" in value || "NS" in value || "BS" in value;
}

/** The set's members followed by the new ones it lacks, in the order given. */
function union(current: AttributeValue, value: AttributeValue): AttributeValue {
  const members = membersOf(current);
  for (const member of membersOf(value))
    if (!setContains(wrap(current, members), member)) members.push(member);
  return wrap(current, members);
}

function membersOf(set: AttributeValue): AttributeValue[] {
  if ("SS" in set) return set.SS.map((S) => ({ S }));
  if ("NS" in set) return set.NS.map((N) => ({ N }));
  if ("BS" in set) return set.BS.map((B) => ({ B }));
  return [];
}

function wrap(like: AttributeValue, members: AttributeValue[]): AttributeValue {
  if ("SS" in like) return { SS: members.map((m) => (m as { S: string }).S) };
  if ("NS" in like) return { NS: members.map((m) => (m as { N: string }).N) };
  return { BS: members.map((m) => (m as { B: string }).B) };
}

/** The set without the given members; undefined when nothing is left. */
function without(
  current: AttributeValue,
  value: AttributeValue,
  mismatch: () => Error,
): AttributeValue | undefined {
  if (typeOf(current) !== typeOf(value) || !isSet(value)) throw mismatch();
  const rest = membersOf(current).filter((member) => !setContains(value, member));
  return rest.length === 0 ? undefined : wrap(current, rest);
}

function evaluateValue(value: UpdateValue, item: Item): AttributeValue {
  switch (value.kind) {
    case "path": {
      const found = valueAt(item, value.path);
      if (found === undefined) throw invalid(updateTexts.missingAttribute);
      return found;
    }
    case "value":
      return value.value;
    case "size":
      throw new Error("size() is not an update operand");
    case "ifNotExists":
      return valueAt(item, value.path) ?? evaluateValue(value.fallback, item);
    case "listAppend": {
      const left = evaluateValue(value.left, item);
      if (!("L" in left)) throw invalid(updateTexts.wrongType);
      const right = evaluateValue(value.right, item);
      if (!("L" in right)) throw invalid(updateTexts.wrongType);
      return { L: [...left.L, ...right.L] };
    }
    case "plus":
    case "minus": {
      const left = evaluateValue(value.left, item);
      if (!("N" in left)) throw invalid(updateTexts.wrongType);
      const right = evaluateValue(value.right, item);
      if (!("N" in right)) throw invalid(updateTexts.wrongType);
      return { N: value.kind === "plus" ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) };
    }
  }
}
